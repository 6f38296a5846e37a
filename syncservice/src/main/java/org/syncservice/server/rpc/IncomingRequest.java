package org.syncservice.server.rpc;

/**
 * One request as a transport received it: its body, who published it, and the one way to answer
 * it. {@link RequestProcessor#accept} answers every request it is given exactly once, on whichever
 * thread served it; the transport publishes the reply there and then may acknowledge the request.
 */
public interface IncomingRequest {

    byte[] body();

    /**
     * The broker user that published the request, as the broker validated it (its AMQP user_id);
     * null when it carries none.
     */
    String publisher();

    /** Publishes the reply and records that the request may be acknowledged. Called once; never throws. */
    void answer(RpcOutcome outcome);
}

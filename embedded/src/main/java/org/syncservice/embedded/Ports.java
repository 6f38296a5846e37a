package org.syncservice.embedded;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** The loopback ports the embedded mode listens on, checked before anything starts. */
final class Ports {
    private Ports() {
    }

    /** A port free on 127.0.0.1 now. */
    static int free() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /**
     * Refuses a port that something already listens on: a server started on it would log an error
     * and go on, and the service would then talk to whatever holds the port (another embedded
     * instance's broker, say).
     *
     * @param what whose port it is and where it was set, for the message
     */
    static void requireFree(int port, String what) throws EmbeddedStartupException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        } catch (IOException e) {
            throw new EmbeddedStartupException("port " + port + " (" + what + ") is in use on 127.0.0.1: stop what"
                    + " listens there or choose another port; nothing was started");
        }
    }
}

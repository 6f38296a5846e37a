package org.syncservice.server.core;

/**
 * A component that does I/O: started once, checked while it runs, closed once. {@link #close()}
 * is idempotent and releases everything {@link #start()} acquired.
 */
public interface Lifecycle extends AutoCloseable {

    void start() throws Exception;

    /** True while the component can do its work (its connections are up). Cheap; never blocks long. */
    boolean isHealthy();

    @Override
    void close();
}

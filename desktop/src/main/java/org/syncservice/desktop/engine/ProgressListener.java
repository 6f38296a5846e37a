package org.syncservice.desktop.engine;

/**
 * Receives progress of long work (a first sync of many files). Called from the engine's threads,
 * often; an implementation must be quick and thread-safe.
 */
@FunctionalInterface
public interface ProgressListener {

    ProgressListener NONE = progress -> { };

    void onProgress(Progress progress);
}

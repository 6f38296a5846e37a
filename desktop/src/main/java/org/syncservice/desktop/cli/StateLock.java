package org.syncservice.desktop.cli;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Keeps a second client off a folder that one already syncs: an operating system lock on
 * {@value #NAME} in the state directory, held while the sync runs and let go by the system when
 * the process dies, so a crash leaves no stale lock behind. Thread-safe.
 */
final class StateLock implements AutoCloseable {

    static final String NAME = "lock";

    private final FileChannel channel;
    private final FileLock lock;

    private StateLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the lock of a state directory.
     *
     * @throws CliFailure when another client holds it, or it cannot be taken
     */
    static StateLock acquire(Path stateDirectory) {
        Path file = stateDirectory.resolve(NAME);
        try {
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                channel.close();
                throw new CliFailure("another client is syncing this folder already (it holds " + file + ")");
            }
            return new StateLock(channel, lock);
        } catch (IOException e) {
            throw new CliFailure("cannot lock " + file + ": " + e.getMessage());
        }
    }

    /** Lets go of the lock; a second call does nothing. */
    @Override
    public synchronized void close() {
        try {
            if (lock.isValid()) {
                lock.release();
            }
            channel.close();
        } catch (IOException e) {
            // The lock goes with the channel or, at the latest, with the process.
        }
    }
}

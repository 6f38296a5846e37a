package org.syncservice.embedded;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One embedded instance per data directory: an OS file lock on {@code embedded.lock}, held while the
 * instance runs and released by the OS when its process ends, however it ends (kill -9 included).
 * So whoever holds it knows that a PostgreSQL still running on the directory was left by a process
 * that is gone. Not thread-safe.
 */
final class DataDirectoryLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private DataDirectoryLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    static DataDirectoryLock acquire(Path data) throws IOException, EmbeddedStartupException {
        Path file = data.resolve("embedded.lock");
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.READ);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (java.nio.channels.OverlappingFileLockException e) {
            lock = null; // held by an instance in this very process
        }
        if (lock == null) {
            String holder = Files.readString(file, StandardCharsets.UTF_8).strip();
            channel.close();
            throw new EmbeddedStartupException("the data directory " + data + " is in use by another embedded"
                    + " instance" + (holder.isEmpty() ? "" : " (pid " + holder + ")")
                    + ": stop it or give another directory");
        }
        channel.truncate(0);
        channel.write(StandardCharsets.UTF_8.encode(Long.toString(ProcessHandle.current().pid())));
        return new DataDirectoryLock(channel, lock);
    }

    @Override
    public void close() throws IOException {
        lock.release();
        channel.close();
    }
}

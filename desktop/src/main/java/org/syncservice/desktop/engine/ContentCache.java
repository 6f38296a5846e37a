package org.syncservice.desktop.engine;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.syncservice.desktop.content.ContentReader;
import org.syncservice.desktop.content.FileContent;
import org.syncservice.desktop.local.LocalEntry;
import org.syncservice.desktop.plan.ContentSource;

/**
 * Reads local files' content for the planner, and remembers it while the file looks the same (path,
 * size, modification time, file key), so a file that waits (a refused name, a conflict being
 * resolved) is not read again each round. Bounded. Thread-safe: {@link #warm} reads on threads of
 * its own.
 */
final class ContentCache implements ContentSource {
    private static final Logger LOG = LoggerFactory.getLogger(ContentCache.class);
    static final int ENTRIES = 10_000;

    private final Path root;
    private final ContentReader reader;
    private final Map<LocalEntry, FileContent> cache = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<LocalEntry, FileContent> eldest) {
            return size() > ENTRIES;
        }
    };

    ContentCache(Path root, ContentReader reader) {
        this.root = root;
        this.reader = reader;
    }

    /**
     * Reads files the next plan will ask for several at once (a first sync reads every file, one
     * after the other on the engine thread otherwise), as many as the cache holds.
     */
    void warm(List<LocalEntry> files, int threads) {
        List<LocalEntry> wanted = new ArrayList<>();
        synchronized (this) {
            for (LocalEntry file : files) {
                if (wanted.size() >= ENTRIES) {
                    break;
                }
                if (!file.folder() && !cache.containsKey(file)) {
                    wanted.add(file);
                }
            }
        }
        if (wanted.size() < 2) {
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "syncservice-desktop-read");
            t.setDaemon(true);
            return t;
        });
        try {
            for (LocalEntry file : wanted) {
                pool.execute(() -> contentOf(file));
            }
        } finally {
            pool.shutdown();
            try {
                pool.awaitTermination(1, TimeUnit.HOURS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                pool.shutdownNow();
            }
        }
    }

    @Override
    public FileContent contentOf(LocalEntry file) {
        FileContent known;
        synchronized (this) {
            known = cache.get(file);
        }
        if (known != null) {
            return known;
        }
        try {
            FileContent content = reader.read(root.resolve(file.path()));
            if (content.size() != file.size()) {
                return null; // being written: read again once it is quiet
            }
            synchronized (this) {
                cache.put(file, content);
            }
            return content;
        } catch (IOException e) {
            LOG.debug("cannot read {} now: {}", file.path(), e.toString());
            return null;
        }
    }
}

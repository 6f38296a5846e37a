package org.syncservice.desktop.engine;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
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
 * resolved) is not read again each round. Bounded. Used from the engine thread only.
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

    @Override
    public FileContent contentOf(LocalEntry file) {
        FileContent known = cache.get(file);
        if (known != null) {
            return known;
        }
        try {
            FileContent content = reader.read(root.resolve(file.path()));
            if (content.size() != file.size()) {
                return null; // being written: read again once it is quiet
            }
            cache.put(file, content);
            return content;
        } catch (IOException e) {
            LOG.debug("cannot read {} now: {}", file.path(), e.toString());
            return null;
        }
    }
}

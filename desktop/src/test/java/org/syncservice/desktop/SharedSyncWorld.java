package org.syncservice.desktop;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One {@link SyncWorld} (the embedded service) for every test class of the run that asks for it,
 * started by the first and closed after the last, instead of one per class: starting the service
 * takes a PostgreSQL database, a broker vhost and an S3 store each time. Tests take it as a
 * parameter of their {@code @BeforeAll} method; each uses users of its own ({@link SyncWorld#newUser}),
 * so the classes share nothing else; after each class its devices are closed. Test classes run one
 * at a time in this module.
 */
final class SharedSyncWorld implements ParameterResolver, AfterAllCallback {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SharedSyncWorld.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == SyncWorld.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(Started.class, k -> Started.start(), Started.class).world;
    }

    @Override
    public void afterAll(ExtensionContext context) {
        Started started = context.getRoot().getStore(NAMESPACE).get(Started.class, Started.class);
        if (started != null) {
            started.world.closeDevices();
        }
    }

    /** The world and its directory, closed and removed by JUnit after the last test of the run. */
    private static final class Started implements ExtensionContext.Store.CloseableResource {
        private final Path directory;
        private final SyncWorld world;

        private Started(Path directory, SyncWorld world) {
            this.directory = directory;
            this.world = world;
        }

        static Started start() {
            try {
                Path directory = Files.createTempDirectory("sync-world-");
                return new Started(directory, SyncWorld.start(directory));
            } catch (Exception e) {
                throw new IllegalStateException("cannot start the embedded service: " + e, e);
            }
        }

        @Override
        public void close() throws Exception {
            try {
                world.close();
            } finally {
                try (Stream<Path> walk = Files.walk(directory)) {
                    for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                        try {
                            Files.deleteIfExists(p);
                        } catch (IOException e) {
                            // a file of a stopped client's process, gone or held: the temp dir's own cleanup
                        }
                    }
                }
            }
        }
    }
}

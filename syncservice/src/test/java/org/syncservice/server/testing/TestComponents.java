package org.syncservice.server.testing;

import java.util.HashMap;
import java.util.Map;
import org.syncservice.server.ServiceComponents;
import org.syncservice.server.config.ConfigLoader;
import org.syncservice.server.config.ServiceConfig;

/** The service logic over a test database, wired as the running service wires it, without a broker. */
public final class TestComponents {

    private TestComponents() {
    }

    public static ServiceConfig config(TestDatabase database, Map<String, String> overrides) {
        Map<String, String> values = new HashMap<>();
        values.put("db.url", database.url());
        values.put("db.user", TestDatabase.user());
        values.put("auth.password-hash-iterations", "10000");
        // Tests name short passwords; the minimum itself is tested with the default (PasswordPolicyTest).
        values.put("auth.min-password-length", "1");
        values.putAll(overrides);
        return ConfigLoader.load(values);
    }

    public static ServiceComponents create(TestDatabase database) {
        return create(database, Map.of());
    }

    public static ServiceComponents create(TestDatabase database, Map<String, String> overrides) {
        ServiceConfig config = config(database, overrides);
        return create(database, overrides, new InMemoryChunkStorage(config.storage().backend()));
    }

    /** With the given chunk storage, already started (the caller closes it). */
    public static ServiceComponents create(TestDatabase database, Map<String, String> overrides,
                                           org.syncservice.server.storage.ChunkStorage storage) {
        return new ServiceComponents(database.dataSource(), config(database, overrides), storage,
                java.time.Clock.systemUTC());
    }
}

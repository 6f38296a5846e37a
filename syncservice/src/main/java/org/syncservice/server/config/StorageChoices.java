package org.syncservice.server.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** The spellings of the storage enums in the config file, in the order they are documented. */
final class StorageChoices {
    static final Map<String, StorageConfig.Backend> BACKENDS = ordered(
            "s3", StorageConfig.Backend.S3,
            "swift", StorageConfig.Backend.SWIFT,
            "ftp", StorageConfig.Backend.FTP);

    static final Map<String, StorageConfig.SwiftAuth> SWIFT_AUTH = ordered(
            "tempauth", StorageConfig.SwiftAuth.TEMPAUTH,
            "keystone-v3", StorageConfig.SwiftAuth.KEYSTONE_V3);

    static final Map<String, StorageConfig.SwiftInterface> SWIFT_INTERFACES = ordered(
            "public", StorageConfig.SwiftInterface.PUBLIC,
            "internal", StorageConfig.SwiftInterface.INTERNAL,
            "admin", StorageConfig.SwiftInterface.ADMIN);

    private StorageChoices() {
    }

    /** An unmodifiable map that keeps the given order (Map.of would not). */
    @SuppressWarnings("unchecked")
    private static <E> Map<String, E> ordered(Object... namesAndValues) {
        Map<String, E> map = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            map.put((String) namesAndValues[i], (E) namesAndValues[i + 1]);
        }
        return Collections.unmodifiableMap(map);
    }
}

package org.syncservice.server.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.syncservice.server.config.Secret;
import org.syncservice.server.config.StorageConfig;

class StorageLayoutTest {
    private static final UUID WORKSPACE = UUID.fromString("6f1c2a4e-0b7d-4e55-9c1a-3d2f8e9b0a11");

    private static StorageConfig config(StorageConfig.Backend backend, String ftpRoot) {
        return new StorageConfig(backend, Duration.ofMinutes(15), false,
                new StorageConfig.S3("http://s3", "us-east-1", "chunks", "key", Secret.of("s"), true),
                new StorageConfig.Swift("http://keystone", StorageConfig.SwiftAuth.KEYSTONE_V3, "u", Secret.of("p"),
                        "proj", "Default", "RegionOne", StorageConfig.SwiftInterface.PUBLIC, Secret.of("k"), "ss-"),
                new StorageConfig.Ftp("ftp.example.org", 21, "u", Secret.of("p"), ftpRoot, false));
    }

    @Test
    void s3WorkspacesShareTheBucketUnderAPrefixOfTheirId() {
        StorageLocation location = new StorageLayout(config(StorageConfig.Backend.S3, "/r")).locationFor(WORKSPACE);

        assertThat(location).isEqualTo(new StorageLocation(StorageConfig.Backend.S3, "chunks", WORKSPACE + "/"));
        assertThat(location.objectName("c_3a7b9e0f")).isEqualTo(WORKSPACE + "/c_3a7b9e0f");
    }

    @Test
    void swiftWorkspacesHaveAContainerOfTheirOwn() {
        StorageLocation location = new StorageLayout(config(StorageConfig.Backend.SWIFT, "/r")).locationFor(WORKSPACE);

        assertThat(location).isEqualTo(new StorageLocation(StorageConfig.Backend.SWIFT, "ss-" + WORKSPACE, ""));
        assertThat(location.objectName("c_3a7b9e0f")).isEqualTo("c_3a7b9e0f");
    }

    @Test
    void ftpWorkspacesHaveADirectoryUnderTheRoot() {
        StorageLocation location = new StorageLayout(config(StorageConfig.Backend.FTP, "/syncservice/"))
                .locationFor(WORKSPACE);

        assertThat(location).isEqualTo(new StorageLocation(StorageConfig.Backend.FTP, "ftp.example.org",
                "/syncservice/" + WORKSPACE + "/"));
        assertThat(new StorageLayout(config(StorageConfig.Backend.FTP, "/")).locationFor(WORKSPACE).prefix())
                .isEqualTo("/" + WORKSPACE + "/");
    }
}

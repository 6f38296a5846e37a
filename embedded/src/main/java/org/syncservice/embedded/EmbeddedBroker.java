package org.syncservice.embedded;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.qpid.server.SystemLauncher;
import org.apache.qpid.server.model.BrokerModel;
import org.apache.qpid.server.model.SystemConfig;

/**
 * An in-process AMQP 0-9-1 broker (Apache Qpid Broker-J) with an in-memory virtual host, listening
 * on 127.0.0.1 only, with one user (PLAIN over plain TCP, acceptable on loopback only) whose password
 * the caller generates. Messages do
 * not survive a restart, which the service tolerates: clients retry, devices catch up with
 * get_changes. Not thread-safe.
 */
final class EmbeddedBroker implements AutoCloseable {
    private final SystemLauncher launcher = new SystemLauncher();

    void start(Path workDirectory, int port, String user, String password) throws Exception {
        Files.createDirectories(workDirectory);
        Path initialConfig = workDirectory.resolve("initial-config.json");
        // The file holds the broker user's password: readable by its owner only.
        GeneratedSecrets.writePrivate(initialConfig, """
                {
                  "name": "syncservice-embedded",
                  "modelVersion": "%s",
                  "authenticationproviders": [{
                    "name": "plain",
                    "type": "Plain",
                    "secureOnlyMechanisms": [],
                    "users": [{"name": "%s", "password": "%s", "type": "managed"}]
                  }],
                  "ports": [{
                    "name": "AMQP",
                    "port": "%d",
                    "bindingAddress": "127.0.0.1",
                    "protocols": ["AMQP_0_9_1"],
                    "authenticationProvider": "plain",
                    "virtualhostaliases": [
                      {"name": "nameAlias", "type": "nameAlias"},
                      {"name": "defaultAlias", "type": "defaultAlias"}
                    ]
                  }],
                  "virtualhostnodes": [{
                    "name": "default",
                    "type": "Memory",
                    "defaultVirtualHostNode": "true",
                    "virtualHostInitialConfiguration": "{\\"type\\": \\"Memory\\"}"
                  }]
                }
                """.formatted(BrokerModel.MODEL_VERSION, user, password, port));
        Map<String, Object> attributes = new HashMap<>();
        attributes.put(SystemConfig.TYPE, "Memory");
        attributes.put(SystemConfig.INITIAL_CONFIGURATION_LOCATION, initialConfig.toUri().toString());
        attributes.put(SystemConfig.STARTUP_LOGGED_TO_SYSTEM_OUT, false);
        attributes.put("context", Map.of("qpid.work_dir", workDirectory.toString(),
                "qpid.home_dir", workDirectory.toString()));
        launcher.startup(attributes);
    }

    @Override
    public void close() {
        launcher.shutdown();
    }
}

package org.syncservice.packaging;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The [Service] settings of a unit file that say how its process starts: User=, Group=,
 * EnvironmentFile=, Environment= and ExecStart=, read as systemd reads them for the simple values
 * this package uses (no quoting, no specifiers besides %d given by the caller).
 */
final class SystemdUnit {
    /** systemd's PATH for system services. */
    static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin";

    private final Map<String, List<String>> service;

    private SystemdUnit(Map<String, List<String>> service) {
        this.service = service;
    }

    static SystemdUnit read(Path file) throws IOException {
        Map<String, List<String>> service = new LinkedHashMap<>();
        String section = "";
        for (String line : Files.readAllLines(file)) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#") || trimmed.startsWith(";")) {
                continue;
            }
            if (trimmed.startsWith("[")) {
                section = trimmed;
            } else if (section.equals("[Service]")) {
                int equals = trimmed.indexOf('=');
                service.computeIfAbsent(trimmed.substring(0, equals), key -> new ArrayList<>())
                        .add(trimmed.substring(equals + 1));
            }
        }
        return new SystemdUnit(service);
    }

    Optional<String> single(String key) {
        List<String> values = service.getOrDefault(key, List.of());
        return values.isEmpty() ? Optional.empty() : Optional.of(values.get(values.size() - 1));
    }

    List<String> execStart() {
        return Arrays.asList(single("ExecStart").orElseThrow().split(" +"));
    }

    /** PATH, then each EnvironmentFile= (a leading '-': may be missing), then each Environment=. */
    Map<String, String> environment() throws IOException {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("PATH", DEFAULT_PATH);
        for (String file : service.getOrDefault("EnvironmentFile", List.of())) {
            boolean optional = file.startsWith("-");
            Path path = Path.of(optional ? file.substring(1) : file);
            if (optional && !Files.exists(path)) {
                continue;
            }
            for (String line : Files.readAllLines(path)) {
                String trimmed = line.strip();
                if (!trimmed.isEmpty() && !trimmed.startsWith("#") && !trimmed.startsWith(";")) {
                    int equals = trimmed.indexOf('=');
                    environment.put(trimmed.substring(0, equals).strip(), trimmed.substring(equals + 1).strip());
                }
            }
        }
        for (String assignments : service.getOrDefault("Environment", List.of())) {
            for (String assignment : assignments.split(" +")) {
                int equals = assignment.indexOf('=');
                environment.put(assignment.substring(0, equals), assignment.substring(equals + 1));
            }
        }
        return environment;
    }
}

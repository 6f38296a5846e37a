package org.syncservice.server.http;

/**
 * Whether the service can do its work now: its database, its broker and its chunk storage are
 * each reachable. Immutable.
 */
public record HealthReport(boolean database, boolean broker, boolean storage) {

    public boolean up() {
        return database && broker && storage;
    }

    String toJson() {
        return "{\"status\":\"" + state(up()) + "\",\"database\":\"" + state(database) + "\",\"broker\":\""
                + state(broker) + "\",\"storage\":\"" + state(storage) + "\"}";
    }

    private static String state(boolean up) {
        return up ? "UP" : "DOWN";
    }
}

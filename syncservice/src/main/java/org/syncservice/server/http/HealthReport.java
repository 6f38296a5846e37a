package org.syncservice.server.http;

/** Whether the service can do its work now: both its database and its broker are reachable. Immutable. */
public record HealthReport(boolean database, boolean broker) {

    public boolean up() {
        return database && broker;
    }

    String toJson() {
        return "{\"status\":\"" + state(up()) + "\",\"database\":\"" + state(database) + "\",\"broker\":\""
                + state(broker) + "\"}";
    }

    private static String state(boolean up) {
        return up ? "UP" : "DOWN";
    }
}

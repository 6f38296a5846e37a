package org.syncservice.server.status;

/**
 * How much the database holds. Immutable.
 *
 * @param devices registered devices that are not revoked
 * @param items items of every workspace, tombstones included
 */
public record ServiceCounts(long users, long devices, long workspaces, long items) {
}

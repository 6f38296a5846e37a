package org.syncservice.client.conflicts;

import java.time.LocalDate;
import java.util.Objects;
import org.syncservice.protocol.v1.Item;

/**
 * Both sides edited the same file: this device changed it locally while another device committed a
 * new version of it. Immutable and thread-safe.
 *
 * @param path the file's path in the workspace, names separated by {@code /}
 * @param local the local edit
 * @param remote the version the service holds now
 * @param thisDeviceName this device's name, used in the name of a conflicted copy of the local edit
 * @param date the day the conflict is resolved, in the user's time zone, for the copy's name
 */
public record Conflict(String path, LocalVersion local, RemoteVersion remote, String thisDeviceName,
                       LocalDate date) {

    public Conflict {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(local, "local");
        Objects.requireNonNull(remote, "remote");
        Objects.requireNonNull(thisDeviceName, "thisDeviceName");
        Objects.requireNonNull(date, "date");
        if (path.isEmpty() || path.startsWith("/") || path.endsWith("/")) {
            throw new IllegalArgumentException("path: expected names separated by '/', got '" + path + "'");
        }
    }

    /** The file's own name: the last name of {@link #path()}. */
    public String name() {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /**
     * The local side of a conflict.
     *
     * @param size the local file's size in bytes
     * @param modifiedAtMs the local file's modification time, Unix epoch milliseconds
     * @param checksum the local content's checksum, {@code "algorithm:hex"} as in {@code Item.checksum}
     * @param inVersionHistory whether the service already holds exactly this content as a version of
     *     the item (its checksum matches one of the item's versions), so that replacing the local file
     *     loses nothing; only then is {@link Resolution#remoteWins(Conflict)} allowed
     */
    public record LocalVersion(long size, long modifiedAtMs, String checksum, boolean inVersionHistory) {

        public LocalVersion {
            Objects.requireNonNull(checksum, "checksum");
            if (size < 0) {
                throw new IllegalArgumentException("size: expected at least 0, got " + size);
            }
        }
    }

    /**
     * The remote side of a conflict.
     *
     * @param item the item's latest version on the service
     * @param deviceName the name of the device that committed it ({@code item.device_id}); empty when
     *     not known, and then the device id stands in for it in a copy's name
     */
    public record RemoteVersion(Item item, String deviceName) {

        public RemoteVersion {
            Objects.requireNonNull(item, "item");
            Objects.requireNonNull(deviceName, "deviceName");
        }

        /** The id of the device that committed the remote version. */
        public String deviceId() {
            return item.getDeviceId();
        }

        /** The committing device's name, or its id when the name is not known. */
        public String deviceLabel() {
            return deviceName.isBlank() ? item.getDeviceId() : deviceName;
        }
    }
}

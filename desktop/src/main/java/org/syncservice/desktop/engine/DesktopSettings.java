package org.syncservice.desktop.engine;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.syncservice.client.SyncClientOptions;

/**
 * How one synced folder is kept: where it is, where its state lives, which workspace it mirrors and
 * how cautious the client is. Immutable.
 *
 * @param folder the synced folder
 * @param stateDirectory the directory of the local state database (outside the synced folder)
 * @param workspaceId the workspace the folder mirrors
 * @param deviceId this device's id, to recognise its own commits
 * @param deviceName this device's name, used in the names of conflicted copies
 * @param broker the broker options the notification listener connects with
 * @param massDeletionShare the share of synced files (0 to 1) that may vanish in one scan before
 *     the client stops deleting on the server and asks the user
 * @param debounce how long the folder must be quiet after a change before the client looks
 * @param rescanInterval how often a full scan runs as a safety net against missed watch events
 * @param onlyFolders the folders to keep, relative to the synced folder ({@code /}-separated);
 *     empty: the whole workspace
 */
public record DesktopSettings(Path folder, Path stateDirectory, String workspaceId, String deviceId,
                              String deviceName, SyncClientOptions broker, double massDeletionShare,
                              Duration debounce, Duration rescanInterval, List<String> onlyFolders) {

    public static final double DEFAULT_MASS_DELETION_SHARE = 0.5;
    public static final Duration DEFAULT_DEBOUNCE = Duration.ofMillis(300);
    public static final Duration DEFAULT_RESCAN_INTERVAL = Duration.ofMinutes(5);

    public DesktopSettings {
        Objects.requireNonNull(folder, "folder");
        Objects.requireNonNull(stateDirectory, "stateDirectory");
        Objects.requireNonNull(workspaceId, "workspaceId");
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(deviceName, "deviceName");
        Objects.requireNonNull(broker, "broker");
        if (!(massDeletionShare > 0 && massDeletionShare <= 1)) {
            throw new IllegalArgumentException("massDeletionShare must be in (0, 1]");
        }
        onlyFolders = List.copyOf(onlyFolders);
    }

    /** Settings that keep the whole workspace. */
    public DesktopSettings(Path folder, Path stateDirectory, String workspaceId, String deviceId, String deviceName,
                           SyncClientOptions broker, double massDeletionShare, Duration debounce,
                           Duration rescanInterval) {
        this(folder, stateDirectory, workspaceId, deviceId, deviceName, broker, massDeletionShare, debounce,
                rescanInterval, List.of());
    }
}

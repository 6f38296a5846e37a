package org.syncservice.desktop.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.syncservice.client.SyncClient;
import org.syncservice.desktop.local.FolderMarker;
import org.syncservice.desktop.state.StateDatabase;
import org.syncservice.desktop.state.SyncedItem;
import org.syncservice.protocol.v1.ItemLock;
import org.syncservice.protocol.v1.LockItemRequest;
import org.syncservice.protocol.v1.UnlockItemRequest;
import org.syncservice.protocol.v1.UnlockItemResponse;

/**
 * The {@code lock} and {@code unlock} commands: lock_item and unlock_item (docs/protocol.md 7.23,
 * 7.24) on a synced file, as the device of the synced folder it is in, with the credential its
 * sync stored. The file is found by its place in the tree last synced, so only a file synced at
 * least once can be locked. The lock is not renewed in the background: it lasts its minutes and
 * then expires by itself; locking again renews it. Immutable.
 */
final class LockCommand {
    private final CliEnvironment environment;

    LockCommand(CliEnvironment environment) {
        this.environment = environment;
    }

    ExitCode lock(Command.Lock lock) {
        Path file = StateDirectory.canonical(lock.file());
        SyncedFolder folder = SyncedFolder.of(file, lock.stateDirectory(), environment);
        LockItemRequest.Builder request = LockItemRequest.newBuilder()
                .setWorkspaceId(folder.credential().workspaceId())
                .setItemId(folder.itemId(file));
        lock.reason().ifPresent(request::setReason);
        lock.minutes().ifPresent(minutes -> request.setDurationMs(minutes * 60_000L));
        try (SyncClient client = folder.connect(environment)) {
            ItemLock taken = client.lockItem(request.build()).getLock();
            environment.out().println("Locked " + file + " until " + Instant.ofEpochMilli(taken.getExpiresAtMs())
                    + " (lock it again to renew; unlock releases it)");
        }
        return ExitCode.OK;
    }

    ExitCode unlock(Command.Unlock unlock) {
        Path file = StateDirectory.canonical(unlock.file());
        SyncedFolder folder = SyncedFolder.of(file, unlock.stateDirectory(), environment);
        UnlockItemRequest request = UnlockItemRequest.newBuilder()
                .setWorkspaceId(folder.credential().workspaceId())
                .setItemId(folder.itemId(file)).build();
        try (SyncClient client = folder.connect(environment)) {
            UnlockItemResponse answer = client.unlockItem(request);
            environment.out().println(answer.getWasLocked() ? "Unlocked " + file : file + " was not locked");
        }
        return ExitCode.OK;
    }

    /** The synced folder a file is in: its top (where the folder marker is), state and credential. */
    private record SyncedFolder(Path root, Path state, DeviceCredential credential) {

        static SyncedFolder of(Path file, Optional<Path> stateDirectory, CliEnvironment environment) {
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                throw new CliFailure(file + " is not a file: only files can be locked");
            }
            Path root = file.getParent();
            while (root != null && !FolderMarker.isPresent(root)) {
                root = root.getParent();
            }
            if (root == null) {
                throw new CliFailure(file + " is in no synced folder (none above it holds " + FolderMarker.NAME
                        + ", which a sync places)");
            }
            Path top = root;
            Path state = stateDirectory.orElseGet(() -> StateDirectory.defaultFor(top, environment));
            DeviceCredential credential = new CredentialFile(state).read().orElseThrow(() -> new CliFailure(
                    "no device credential for " + top + " in " + state + ": sync the folder first"));
            return new SyncedFolder(root, state, credential);
        }

        /** The item id of a file of the folder, from the tree last synced. */
        long itemId(Path file) {
            Map<Long, SyncedItem> tree;
            try (StateDatabase database = StateDatabase.open(state)) {
                tree = database.syncedTree();
            } catch (IOException e) {
                throw new CliFailure("cannot read the state in " + state + ": " + e.getMessage());
            }
            long parent = 0;
            SyncedItem found = null;
            for (Path name : root.relativize(file)) {
                long in = parent;
                found = tree.values().stream().filter(item -> item.parentId() == in
                        && item.name().equals(name.toString())).findFirst().orElseThrow(() -> new CliFailure(
                        file + " is not synced yet: wait for the sync to upload it, then lock it"));
                parent = found.itemId();
            }
            if (found == null || found.folder()) {
                throw new CliFailure(file + " is a folder: only files can be locked");
            }
            return found.itemId();
        }

        SyncClient connect(CliEnvironment environment) {
            BrokerAddress server;
            try {
                server = BrokerAddress.parse(credential.server())
                        .withLoginUser(Optional.of(credential.loginUser()).filter(user -> !user.isEmpty()));
            } catch (IllegalArgumentException e) {
                throw new CliFailure("the stored server " + credential.server() + " is no URL: " + e.getMessage());
            }
            SyncClient client = SyncCommand.connect(server, server.options(environment.variables()));
            client.setToken(credential.token());
            return client;
        }
    }
}

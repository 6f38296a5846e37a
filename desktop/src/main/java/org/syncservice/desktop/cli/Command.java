package org.syncservice.desktop.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/** What the command line asked for, parsed and validated. Immutable. */
sealed interface Command {

    /** Print the usage text. */
    record Help() implements Command {
    }

    /** Print the version. */
    record Version() implements Command {
    }

    /**
     * Keep a folder in sync until stopped.
     *
     * @param folder the synced folder, absolute
     * @param server the broker, when given (needed for the first login)
     * @param email the account, when given (needed for the first login)
     * @param workspace the workspace's name, when not the default one
     * @param stateDirectory the state directory, when not the default one
     * @param deviceName the device's name, when not the host name
     * @param allowMassDelete whether to push deletions of many files without stopping
     * @param login whether to log in again although a credential is stored
     * @param loginUser the broker's login-only user, when given
     * @param onlyFolders the folders to keep, relative to the folder; empty: the whole workspace
     */
    record Sync(Path folder, Optional<BrokerAddress> server, Optional<String> email, Optional<String> workspace,
                Optional<Path> stateDirectory, Optional<String> deviceName, boolean allowMassDelete,
                boolean login, Optional<String> loginUser, List<String> onlyFolders) implements Command {

        public Sync {
            Objects.requireNonNull(folder, "folder");
            onlyFolders = List.copyOf(onlyFolders);
        }
    }

    /**
     * Print what the client of a folder last recorded.
     *
     * @param folder the synced folder, absolute
     * @param stateDirectory the state directory, when not the default one
     */
    record Status(Path folder, Optional<Path> stateDirectory) implements Command {

        public Status {
            Objects.requireNonNull(folder, "folder");
        }
    }

    /**
     * Lock a synced file against edits from other devices, or renew this device's lock on it.
     *
     * @param file the file, absolute, inside a synced folder
     * @param stateDirectory the folder's state directory, when not the default one
     * @param reason shown to other devices, when given
     * @param minutes how long the lock lasts, when not the service's default
     */
    record Lock(Path file, Optional<Path> stateDirectory, Optional<String> reason, OptionalInt minutes)
            implements Command {

        public Lock {
            Objects.requireNonNull(file, "file");
        }
    }

    /**
     * Release this device's lock on a synced file.
     *
     * @param file the file, absolute, inside a synced folder
     * @param stateDirectory the folder's state directory, when not the default one
     */
    record Unlock(Path file, Optional<Path> stateDirectory) implements Command {

        public Unlock {
            Objects.requireNonNull(file, "file");
        }
    }
}

package org.syncservice.server.account;

import java.util.Optional;
import java.util.UUID;

/**
 * Which of a user's devices a password change signs out: their tokens stop working and they log
 * in again with the new password; they stay registered (unlike unregister_device).
 *
 * @param devices whether any device is signed out
 * @param except the device kept signed in (the one that changed the password), if any
 */
public record SignOut(boolean devices, Optional<UUID> except) {

    public static SignOut nobody() {
        return new SignOut(false, Optional.empty());
    }

    public static SignOut everyDevice() {
        return new SignOut(true, Optional.empty());
    }

    public static SignOut everyDeviceBut(UUID kept) {
        return new SignOut(true, Optional.of(kept));
    }
}

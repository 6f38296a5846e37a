package org.syncservice.server.account;

import java.util.Optional;
import org.syncservice.server.core.ServiceException;

/**
 * Limits on a device's description. A name is 1..255 characters (empty at registration means
 * {@value #DEFAULT_NAME}); os and app version are 0..128 characters. None may hold control
 * characters. Pure; thread-safe.
 */
public final class DeviceFields {
    public static final String DEFAULT_NAME = "device";
    static final int MAX_NAME_CHARS = 255;
    static final int MAX_DESCRIPTION_CHARS = 128;

    private DeviceFields() {
    }

    /** Checks a change; each present value must be valid. Field names are prefixed with {@code operation}. */
    public static DeviceDetails check(String operation, String nameField, DeviceDetails details) {
        details.name().ifPresent(name -> check(operation + "." + nameField, name, 1, MAX_NAME_CHARS));
        details.os().ifPresent(os -> check(operation + ".os", os, 0, MAX_DESCRIPTION_CHARS));
        details.appVersion().ifPresent(v -> check(operation + ".app_version", v, 0, MAX_DESCRIPTION_CHARS));
        return details;
    }

    private static void check(String field, String value, int minChars, int maxChars) {
        int length = value.codePointCount(0, value.length());
        if (length < minChars || length > maxChars) {
            throw ServiceException.invalidArgument(field,
                    field + " must be " + minChars + " to " + maxChars + " characters long");
        }
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                throw ServiceException.invalidArgument(field, field + " must not contain control characters");
            }
        }
    }

    /** Login describes a new device with possibly empty strings: empty means default name, empty os/version. */
    static DeviceDetails forRegistration(String name, String os, String appVersion) {
        return new DeviceDetails(Optional.of(name.isEmpty() ? DEFAULT_NAME : name), Optional.of(os),
                Optional.of(appVersion));
    }

    /** Login on an existing device: only non-empty values change what is stored. */
    static DeviceDetails forRelogin(String name, String os, String appVersion) {
        return new DeviceDetails(nonEmpty(name), nonEmpty(os), nonEmpty(appVersion));
    }

    private static Optional<String> nonEmpty(String value) {
        return value.isEmpty() ? Optional.empty() : Optional.of(value);
    }
}

package org.syncservice.server.core;

import java.nio.charset.StandardCharsets;

/**
 * The rules for names of items and workspaces (protocol section 6.1) and for mount points. Pure
 * functions; thread-safe.
 */
public final class NameRules {
    public static final int MAX_MOUNT_POINT_CHARS = 1024;

    private NameRules() {
    }

    /** Why the name is invalid, or null when it is valid. */
    public static String nameProblem(String name, int maxBytes) {
        if (name.isEmpty()) {
            return "a name must not be empty";
        }
        if (name.getBytes(StandardCharsets.UTF_8).length > maxBytes) {
            return "a name must be at most " + maxBytes + " bytes in UTF-8";
        }
        if (name.equals(".") || name.equals("..")) {
            return "a name must not be '.' or '..'";
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '/') {
                return "a name must not contain '/'";
            }
            if (c < 0x20 || c == 0x7f) {
                return "a name must not contain control characters";
            }
        }
        return null;
    }

    /**
     * Why the mount point is invalid, or null when it is valid. A mount point is a path relative to
     * the sync root: "" (the root itself) or names separated by single '/', each a valid name.
     */
    public static String mountPointProblem(String mountPoint, int maxNameBytes) {
        if (mountPoint.isEmpty()) {
            return null;
        }
        if (mountPoint.length() > MAX_MOUNT_POINT_CHARS) {
            return "a mount point must be at most " + MAX_MOUNT_POINT_CHARS + " characters";
        }
        if (mountPoint.startsWith("/")) {
            return "a mount point must be a relative path";
        }
        for (String segment : mountPoint.split("/", -1)) {
            if (segment.isEmpty()) {
                return "a mount point must not have empty segments or a trailing '/'";
            }
            if (segment.equals("..") || segment.equals(".")) {
                return "a mount point must not have '.' or '..' segments";
            }
            String problem = nameProblem(segment, maxNameBytes);
            if (problem != null) {
                return "each segment of a mount point follows the name rules: " + problem;
            }
        }
        return null;
    }

    /** Throws INVALID_ARGUMENT naming the field when the name is invalid. */
    public static String requireName(String field, String name, int maxBytes) {
        String problem = nameProblem(name, maxBytes);
        if (problem != null) {
            throw ServiceException.invalidArgument(field, field + ": " + problem);
        }
        return name;
    }

    /** Throws INVALID_ARGUMENT naming the field when the mount point is invalid. */
    public static String requireMountPoint(String field, String mountPoint, int maxNameBytes) {
        String problem = mountPointProblem(mountPoint, maxNameBytes);
        if (problem != null) {
            throw ServiceException.invalidArgument(field, field + ": " + problem);
        }
        return mountPoint;
    }
}

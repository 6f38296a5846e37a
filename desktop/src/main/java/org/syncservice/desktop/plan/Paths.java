package org.syncservice.desktop.plan;

/** Relative paths of the synced folder: names joined with {@code /}, the root is {@code ""}. */
final class Paths {
    private Paths() {
    }

    static String join(String parent, String name) {
        return parent.isEmpty() ? name : parent + '/' + name;
    }

    static String parent(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? "" : path.substring(0, slash);
    }

    static String name(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? path : path.substring(slash + 1);
    }

    static int depth(String path) {
        int depth = 0;
        for (int i = 0; i < path.length(); i++) {
            if (path.charAt(i) == '/') {
                depth++;
            }
        }
        return depth;
    }
}

package org.syncservice.desktop.local;

import java.nio.file.Path;

/** Turns paths under the synced folder into the relative, {@code /}-separated form and back. */
final class RelativePaths {

    private RelativePaths() {
    }

    /** The path of {@code file} relative to {@code root}, with {@code /} between names. */
    static String relative(Path root, Path file) {
        Path relative = root.relativize(file);
        var out = new StringBuilder();
        for (Path name : relative) {
            if (!out.isEmpty()) {
                out.append('/');
            }
            out.append(name);
        }
        return out.toString();
    }

    /**
     * The file a relative path names under {@code root}.
     *
     * @throws IllegalArgumentException if the path is empty, absolute or has an empty, {@code .} or
     *     {@code ..} name: none of those name a file inside the synced folder
     */
    static Path resolve(Path root, String relativePath) {
        if (relativePath.isEmpty() || relativePath.startsWith("/") || relativePath.endsWith("/")) {
            throw new IllegalArgumentException("not a relative path: '" + relativePath + "'");
        }
        // Where the separator is '\', a name holding one would step into another folder.
        boolean backslashSeparates = root.getFileSystem().getSeparator().equals("\\");
        Path file = root;
        for (String name : relativePath.split("/", -1)) {
            if (name.isEmpty() || name.equals(".") || name.equals("..")
                    || (backslashSeparates && name.contains("\\"))) {
                throw new IllegalArgumentException("not a path inside the synced folder: '" + relativePath + "'");
            }
            file = file.resolve(name);
        }
        return file;
    }

    /** How many folders deep the path is: 0 for an entry at the top of the synced folder. */
    static int depth(String relativePath) {
        int depth = 0;
        for (int i = 0; i < relativePath.length(); i++) {
            if (relativePath.charAt(i) == '/') {
                depth++;
            }
        }
        return depth;
    }
}

package org.syncservice.server.storage.swift;

import java.util.ArrayList;
import java.util.List;

/**
 * Edits a Swift container ACL ({@code X-Container-Read}/{@code X-Container-Write}): a
 * comma-separated list of elements such as {@code account:user}, {@code project:user} or
 * {@code .r:*}. Elements are compared exactly after trimming; others are kept as they are. Pure.
 */
final class SwiftAcl {

    private SwiftAcl() {
    }

    static List<String> parse(String acl) {
        List<String> elements = new ArrayList<>();
        if (acl == null) {
            return elements;
        }
        for (String element : acl.split(",")) {
            String trimmed = element.trim();
            if (!trimmed.isEmpty() && !elements.contains(trimmed)) {
                elements.add(trimmed);
            }
        }
        return elements;
    }

    /** The ACL with {@code identity} in it (once). */
    static String with(String acl, String identity) {
        List<String> elements = parse(acl);
        if (!elements.contains(identity)) {
            elements.add(identity);
        }
        return String.join(",", elements);
    }

    /** The ACL without {@code identity}; "" when nothing is left. */
    static String without(String acl, String identity) {
        List<String> elements = parse(acl);
        elements.remove(identity);
        return String.join(",", elements);
    }
}

package org.syncservice.server.sync;

import java.util.Optional;

/**
 * What a RENAMED, MOVED or DELETED version keeps of the version it follows (docs/protocol.md
 * 7.10, "Request"). RENAMED and MOVED keep the bytes (checksum, size, chunks); RENAMED keeps the
 * parent too; DELETED keeps the name, the parent and the kind, and drops the bytes.
 *
 * <p>Proto3 has no presence for scalars, so a kept field the request leaves empty or zero cannot be
 * told from one it omitted: it is carried forward from the current version, which is what lets a
 * client send a rename as just the new name. A kept field given with another value is refused
 * rather than overwritten, because a client that sends one believes the item is other than it is.
 * mime_type and modified_at_ms describe the file rather than hold its bytes (a rename to ".md"
 * may well change the mime type, and a device may report the time of the rename): omitted, they
 * are carried forward; given, RENAMED and MOVED take them. Thread-safe (stateless).
 */
final class KeptFields {

    private KeptFields() {
    }

    /**
     * The change with every field its status keeps, and the request left empty, taken from
     * {@code base}; NEW and CHANGED changes are complete already and come back as they are.
     */
    static ItemChange filled(ItemChange change, ItemVersion base) {
        ItemStatus status = change.status();
        if (status != ItemStatus.RENAMED && status != ItemStatus.MOVED && status != ItemStatus.DELETED) {
            return change;
        }
        boolean parentOmitted = change.parentId() == 0 && change.parentTempId().isEmpty();
        // MOVED names its target: a parent_id of 0 there is the root, not an omission.
        boolean keepParent = parentOmitted && status != ItemStatus.MOVED;
        return new ItemChange(change.itemId(), change.tempId(),
                keepParent ? base.parentId() : change.parentId(), change.parentTempId(), change.version(), status,
                change.name().isEmpty() ? base.name() : change.name(),
                change.mimeType().isEmpty() ? base.mimeType() : change.mimeType(),
                change.folder() || base.folder(),
                change.checksum().isEmpty() ? base.checksum() : change.checksum(),
                change.size() == 0 ? base.size() : change.size(),
                change.modifiedAtMs() == 0 ? base.modifiedAtMs() : change.modifiedAtMs(),
                change.chunks().isEmpty() ? base.chunks() : change.chunks());
    }

    /**
     * Why a filled change gives a kept field another value than {@code base} has, naming the field;
     * empty when it gives none.
     *
     * @param parentId the parent the change names, resolved (temporary ids included)
     */
    static Optional<String> problem(ItemChange filled, long parentId, ItemVersion base) {
        ItemStatus status = filled.status();
        if (status == ItemStatus.DELETED) {
            if (!ItemNames.normalize(filled.name()).equals(base.name())) {
                return Optional.of("name: a DELETED version names the item as it is ('" + base.name()
                        + "'), or leaves the name empty");
            }
            if (parentId != base.parentId()) {
                return Optional.of((filled.parentTempId().isEmpty() ? "parent_id" : "parent_temp_id")
                        + ": a DELETED version names the item's folder as it is (" + base.parentId()
                        + "), or leaves it empty");
            }
        } else if (status != ItemStatus.RENAMED && status != ItemStatus.MOVED) {
            return Optional.empty();
        }
        String rule = status == ItemStatus.DELETED
                ? " a DELETED version deletes the latest version, whose content is different; send its content or none"
                : " a " + status + " version keeps the content; send CHANGED to change it";
        if (!filled.checksum().equals(base.checksum())) {
            return Optional.of("checksum:" + rule);
        }
        if (filled.size() != base.size()) {
            return Optional.of("size:" + rule);
        }
        if (!filled.chunks().equals(base.chunks())) {
            return Optional.of("chunks:" + rule);
        }
        return Optional.empty();
    }
}

package org.syncservice.server.sync;

import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.syncservice.server.core.ServiceException;
import org.syncservice.server.sync.SyncStore.ListingPosition;

/**
 * The text form of cursors: {@code c2_<since>_<snapshot>_<depth>_<item>_<epoch>_<mac>}, with
 * {@code _s<scope>} before the MAC for a listing of some subtrees ({@link ListingScope#fingerprint}),
 * the MAC binding the fields to the workspace (see {@link CursorSigner}). What decodes is a cursor this
 * database handed out for this workspace; text that looks like a cursor of ours but does not
 * verify (another workspace's, tampered with, cut short, or of the old {@code c1} format) is
 * CURSOR_EXPIRED, so the device lists again; anything else is INVALID_ARGUMENT. Thread-safe.
 */
final class CursorCodec {
    static final String RELIST = "list again from an empty cursor";
    private static final String VERSION = "c2";
    /** Longer text is no cursor of ours, whatever it starts with: not worth a regular expression. */
    private static final int MAX_LENGTH = 160;
    private static final Pattern FORMAT = Pattern.compile("(c2_(-1|\\d{1,18})_(\\d{1,18})_(-1|\\d{1,9})_(\\d{1,18})"
            + "_(\\d{1,19})(?:_s([0-9a-f]{16}))?)_([A-Za-z0-9_-]{" + CursorSigner.MAC_CHARACTERS + "})");

    private final CursorSigner signer;

    CursorCodec(CursorSigner signer) {
        this.signer = signer;
    }

    /** Reads the signing secret now unless it was read before. */
    void loadKey() {
        signer.loadKey();
    }

    String encode(UUID workspaceId, ChangeCursor cursor) {
        String fields = VERSION + "_" + cursor.sinceSeq() + "_" + cursor.snapshotSeq() + "_"
                + cursor.position().depth() + "_" + cursor.position().itemId() + "_" + cursor.epoch()
                + (cursor.scope().isEmpty() ? "" : "_s" + cursor.scope());
        return fields + "_" + signer.sign(workspaceId, fields);
    }

    /**
     * @throws ServiceException CURSOR_EXPIRED for a cursor of ours that does not verify on this
     *     workspace, INVALID_ARGUMENT for text that is no cursor at all
     */
    ChangeCursor decode(UUID workspaceId, String text) {
        boolean looksOurs = text.startsWith("c1_") || text.startsWith(VERSION + "_");
        if (!looksOurs || text.length() > MAX_LENGTH) {
            throw ServiceException.invalidArgument("get_changes.cursor", "the cursor is not one this service handed"
                    + " out; pass next_cursor as it came, or an empty cursor to list everything");
        }
        Matcher matcher = FORMAT.matcher(text);
        if (!matcher.matches() || !signer.verifies(workspaceId, matcher.group(1), matcher.group(8))) {
            throw ServiceException.cursorExpired("the cursor was not handed out for this workspace by this"
                    + " service (or is of an older format); " + RELIST);
        }
        try {
            long since = Long.parseLong(matcher.group(2));
            long snapshot = Long.parseLong(matcher.group(3));
            long epoch = Long.parseLong(matcher.group(6));
            if (since > snapshot) {
                throw new NumberFormatException("since above snapshot");
            }
            return new ChangeCursor(since, snapshot, new ListingPosition(Integer.parseInt(matcher.group(4)),
                    Long.parseLong(matcher.group(5))), epoch, matcher.group(7) == null ? "" : matcher.group(7));
        } catch (NumberFormatException e) {
            // Only a leaked secret makes a signed cursor that does not parse: treat it like any other.
            throw ServiceException.cursorExpired("the cursor does not hold a listing position; " + RELIST);
        }
    }
}

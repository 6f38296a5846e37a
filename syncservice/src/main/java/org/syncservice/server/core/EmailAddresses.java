package org.syncservice.server.core;

import java.util.Locale;

/**
 * How email addresses from requests are read: trimmed and lower-cased, as users are stored, and
 * refused when they hold control characters (PostgreSQL's text cannot even hold NUL, and no stored
 * address has one). Thread-safe (stateless).
 */
public final class EmailAddresses {

    private EmailAddresses() {
    }

    /** The address as stored and compared. */
    public static String normalize(String email) {
        return email.trim().toLowerCase(Locale.ROOT);
    }

    /**
     * @return the normalized address
     * @throws ServiceException INVALID_ARGUMENT naming {@code field} when the address holds a control character
     */
    public static String requirePlain(String field, String email) {
        if (email.chars().anyMatch(c -> c < ' ' || c == 0x7f)) {
            throw ServiceException.invalidArgument(field, field + " must not contain control characters");
        }
        return normalize(email);
    }
}

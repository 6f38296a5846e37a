package org.syncservice.server.account;

import org.syncservice.server.core.ServiceException;

/**
 * What a newly set password must be: at least the configured number of characters (counted as
 * Unicode code points, so that a password of emoji is not counted double) and at most
 * {@link #MAX_CHARS} characters. Passwords stored before the minimum was raised keep working: the
 * policy applies when a password is set, never at login. Immutable.
 */
public final class PasswordPolicy {
    /** More is refused at once: a password is hashed, and its cost must not be chosen by the caller. */
    public static final int MAX_CHARS = 1024;

    private final int minLength;

    public PasswordPolicy(int minLength) {
        if (minLength < 1 || minLength > MAX_CHARS) {
            throw new IllegalArgumentException("minLength must be 1.." + MAX_CHARS + ", not " + minLength);
        }
        this.minLength = minLength;
    }

    /**
     * @param field the request field the password came from, named in the error
     * @throws ServiceException INVALID_ARGUMENT naming the field and the rule it broke
     */
    public void check(String field, String password) {
        if (password.length() > MAX_CHARS) {
            throw ServiceException.invalidArgument(field, "a password is at most " + MAX_CHARS + " characters");
        }
        int length = password.codePointCount(0, password.length());
        if (length < minLength) {
            throw ServiceException.invalidArgument(field, "a password is at least " + minLength
                    + " characters (auth.min-password-length); this one has " + length);
        }
    }
}

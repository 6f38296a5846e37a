package org.syncservice.server.storage.swift;

import java.io.IOException;

/** One way of logging in to Swift. Implementations are thread-safe. */
interface SwiftLogin {

    /** Logs in afresh; throws when the credentials are refused or the auth service is unreachable. */
    SwiftSession login() throws IOException, InterruptedException;
}

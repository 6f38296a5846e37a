package org.syncservice.server.admin;

import java.util.UUID;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;
import org.syncservice.server.cli.ExitCode;

/**
 * {@code revoke-device --email E --device ID}: the device's token stops working (on running
 * instances within {@code auth.token-cache-ttl}) and its other devices are told.
 */
final class RevokeDeviceCommand implements AdminCommand {

    @Override
    public String name() {
        return "revoke-device";
    }

    @Override
    public String summary() {
        return "revoke a device of a user: its token stops working";
    }

    @Override
    public Options options() {
        return new Options()
                .addOption(Arguments.required("email", "EMAIL", "the user's email"))
                .addOption(Arguments.required("device", "ID", "the device id (see list-devices)"));
    }

    @Override
    public ExitCode run(CommandLine line, AdminEnvironment environment) {
        String email = Arguments.text(line, "email");
        UUID deviceId = Arguments.uuid(line, "device");
        var accounts = environment.accounts();
        accounts.unregisterDevice(accounts.userIdForEmail(email), deviceId);
        environment.out().println("device " + deviceId + " of " + email + " is revoked");
        return ExitCode.OK;
    }
}

package org.syncservice.server.admin;

import java.time.Instant;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;
import org.syncservice.server.account.DeviceInfo;
import org.syncservice.server.cli.ExitCode;

/** {@code list-devices --email E}: the user's registered (not revoked) devices. */
final class ListDevicesCommand implements AdminCommand {

    @Override
    public String name() {
        return "list-devices";
    }

    @Override
    public String summary() {
        return "list a user's registered devices";
    }

    @Override
    public Options options() {
        return new Options().addOption(Arguments.required("email", "EMAIL", "the user's email"));
    }

    @Override
    public ExitCode run(CommandLine line, AdminEnvironment environment) {
        var accounts = environment.accounts();
        Table table = new Table("DEVICE_ID", "NAME", "OS", "APP_VERSION", "LAST_SEEN", "REGISTERED");
        for (DeviceInfo device : accounts.listDevices(accounts.userIdForEmail(Arguments.text(line, "email")))) {
            table.row(device.deviceId(), device.name(), device.os(), device.appVersion(),
                    device.lastSeenAt().map(Instant::toString).orElse("-"), device.registeredAt());
        }
        table.print(environment.out());
        return ExitCode.OK;
    }
}

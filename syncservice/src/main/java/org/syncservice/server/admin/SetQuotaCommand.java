package org.syncservice.server.admin;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;
import org.syncservice.server.cli.ExitCode;

/** {@code set-quota --email E --quota BYTES}. */
final class SetQuotaCommand implements AdminCommand {

    @Override
    public String name() {
        return "set-quota";
    }

    @Override
    public String summary() {
        return "change a user's quota (a quota below the usage only refuses growth)";
    }

    @Override
    public Options options() {
        return new Options()
                .addOption(Arguments.required("email", "EMAIL", "the user's email"))
                .addOption(Arguments.required("quota", "BYTES", "the new quota, e.g. 10737418240 or 10G"));
    }

    @Override
    public ExitCode run(CommandLine line, AdminEnvironment environment) {
        String email = Arguments.text(line, "email");
        long quota = Arguments.bytes(line, "quota");
        environment.accounts().setQuota(email, quota);
        environment.out().println("quota of " + email + " set to " + quota + " bytes");
        return ExitCode.OK;
    }
}

package org.syncservice.server.admin;

import java.util.List;
import java.util.UUID;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.syncservice.server.cli.ExitCode;
import org.syncservice.server.core.ServiceException;
import org.syncservice.server.workspace.Group;
import org.syncservice.server.workspace.GroupService;
import org.syncservice.server.workspace.UserRef;

/**
 * {@code group --action list|create|add|remove|delete --owner EMAIL [--name NAME] [--email EMAIL]}:
 * a user's groups, managed by an operator as their owner would manage them (the same rules and
 * events as the RPCs).
 */
final class GroupCommand implements AdminCommand {

    @Override
    public String name() {
        return "group";
    }

    @Override
    public String summary() {
        return "list, create or delete a user's groups, add or remove their members";
    }

    @Override
    public Options options() {
        return new Options()
                .addOption(Arguments.required("action", "ACTION", "list, create, add, remove or delete"))
                .addOption(Arguments.required("owner", "EMAIL", "the email of the groups' owner"))
                .addOption(Option.builder().longOpt("name").hasArg().argName("NAME")
                        .desc("the group's name (all actions but list)").build())
                .addOption(Option.builder().longOpt("email").hasArg().argName("EMAIL")
                        .desc("the member's email (add and remove)").build());
    }

    @Override
    public ExitCode run(CommandLine line, AdminEnvironment environment) {
        String action = Arguments.text(line, "action");
        if (!List.of("list", "create", "add", "remove", "delete").contains(action)) {
            throw new AdminUsageException("--action: expected list, create, add, remove or delete, got '" + action
                    + "'");
        }
        UUID ownerId = environment.accounts().userIdForEmail(Arguments.text(line, "owner"));
        GroupService groups = environment.groups();
        if (action.equals("list")) {
            Table table = new Table("NAME", "MEMBERS", "GROUP_ID");
            for (Group group : groups.groups(ownerId)) {
                table.row(group.name(), String.join(",", group.members().stream().map(UserRef::email).toList()),
                        group.groupId());
            }
            table.print(environment.out());
            return ExitCode.OK;
        }
        String name = needed(line, "name", action);
        if (action.equals("create")) {
            Group group = groups.create(ownerId, name);
            environment.out().println("group '" + group.name() + "' is " + group.groupId());
            return ExitCode.OK;
        }
        String email = action.equals("delete") ? null : needed(line, "email", action);
        UUID groupId = groups.groups(ownerId).stream().filter(g -> g.name().equals(name.strip())).findFirst()
                .orElseThrow(() -> ServiceException.notFound("no group '" + name + "' of that owner"))
                .groupId();
        switch (action) {
            case "add" -> groups.addMember(ownerId, groupId, email);
            case "remove" -> groups.removeMember(ownerId, groupId, email);
            default -> groups.delete(ownerId, groupId);
        }
        environment.out().println("group '" + name + "': " + action + " done");
        return ExitCode.OK;
    }

    private static String needed(CommandLine line, String option, String action) {
        if (!line.hasOption(option)) {
            throw new AdminUsageException("--action " + action + " needs --" + option);
        }
        return Arguments.text(line, option);
    }
}

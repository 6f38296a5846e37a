package org.syncservice.desktop.engine;

import java.time.LocalDate;
import java.util.function.Predicate;
import org.syncservice.client.conflicts.Conflict;
import org.syncservice.client.conflicts.ConflictResolver;
import org.syncservice.client.conflicts.ConflictedCopyNames;
import org.syncservice.client.conflicts.Resolution;
import org.syncservice.desktop.content.FileContent;
import org.syncservice.desktop.local.LocalEntry;
import org.syncservice.desktop.plan.ConflictPolicy;
import org.syncservice.desktop.state.RemoteItem;
import org.syncservice.protocol.v1.Item;

/**
 * The planner's conflict policy from the SDK's {@link ConflictResolver}: the resolver chooses which
 * side keeps the name; conflicted copies are named as the SDK names them. A remote version that
 * loses stays in the item's version history, so nothing is lost either way.
 */
final class ResolverPolicy implements ConflictPolicy {
    private final ConflictResolver resolver;
    private final String deviceName;

    ResolverPolicy(ConflictResolver resolver, String deviceName) {
        this.resolver = resolver;
        this.deviceName = deviceName;
    }

    @Override
    public boolean localKeepsName(String path, LocalEntry local, FileContent localContent, RemoteItem remote) {
        Item item = Item.newBuilder().setItemId(remote.itemId()).setParentId(remote.parentId()).setName(remote.name())
                .setVersion(remote.version()).setChecksum(remote.checksum()).setSize(remote.size())
                .setModifiedAtMs(remote.modifiedMs()).addAllChunks(remote.chunks()).setDeviceId(remote.deviceId())
                .build();
        Conflict conflict = new Conflict(path,
                new Conflict.LocalVersion(localContent.size(), local.modifiedMs(), localContent.checksum(), false),
                new Conflict.RemoteVersion(item, ""), deviceName, LocalDate.now());
        Resolution resolution = resolver.resolve(conflict, name -> false);
        return resolution.outcome() == Resolution.Outcome.LOCAL_WINS;
    }

    @Override
    public String copyPath(String path, Predicate<String> taken) {
        int slash = path.lastIndexOf('/');
        String folder = slash < 0 ? "" : path.substring(0, slash + 1);
        String name = path.substring(slash + 1);
        return folder + ConflictedCopyNames.copyName(name, deviceName, LocalDate.now(), n -> taken.test(folder + n));
    }
}

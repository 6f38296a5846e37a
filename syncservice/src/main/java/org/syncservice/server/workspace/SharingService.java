package org.syncservice.server.workspace;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.syncservice.server.core.EmailAddresses;
import org.syncservice.server.core.MemberRole;
import org.syncservice.server.core.Principal;
import org.syncservice.server.core.ServiceException;
import org.syncservice.server.storage.ChunkStorage;
import org.syncservice.server.storage.Failures;
import org.syncservice.server.storage.StorageLayout;
import org.syncservice.server.storage.StorageLocation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * share_folder, unshare_folder and list_members. The order of every change is: storage first
 * (provision, copy chunks: idempotent, safe to repeat), then one database transaction, then, on
 * dissolution, removal of the shared place. A failure before the transaction leaves the metadata
 * as it was (copied chunks are unreferenced garbage). Membership and role are the only access
 * control: members reach chunks through signed URLs handed to members only (READ URLs only to a
 * READER), and no back-end identity is granted anything (docs/storage.md, "Swift: signed URLs
 * only"). Thread-safe.
 */
public final class SharingService {
    private static final Logger log = LoggerFactory.getLogger(SharingService.class);
    static final String SHARE = "share_folder";
    static final String UNSHARE = "unshare_folder";
    static final int MAX_EMAILS = 100;
    /** Rounds of copy-then-transaction when commits keep adding chunks to the folder meanwhile. */
    static final int MAX_ROUNDS = 3;
    static final int REMOVE_ATTEMPTS = 3;

    private final SharingStore store;
    private final StorageLayout layout;
    private final ChunkStorage storage;

    public SharingService(SharingStore store, StorageLayout layout, ChunkStorage storage) {
        this.store = store;
        this.layout = layout;
        this.storage = storage;
    }

    /**
     * The new workspace's id: derived from the device and request id, so a retry after a failure
     * before the transaction provisions and copies into the same place, and two concurrent copies
     * of one request cannot both create a workspace (the second hits the primary key).
     */
    static UUID workspaceIdFor(UUID deviceId, String requestId) {
        return UUID.nameUUIDFromBytes((SHARE + "\n" + deviceId + "\n" + requestId).getBytes(StandardCharsets.UTF_8));
    }

    /** @param role what the users become: WRITER or READER (users already members keep theirs) */
    public SharedWorkspace share(Principal caller, String requestId, byte[] requestHash, UUID workspaceId,
                                 long folderId, List<String> emails, List<UUID> groups, MemberRole role) {
        if (role == MemberRole.OWNER) {
            throw ServiceException.invalidArgument("share_folder.role", "a workspace has one owner");
        }
        Optional<SharingStore.Recorded> recorded = recorded(caller, requestId, SHARE, requestHash);
        if (recorded.isPresent()) {
            return store.sharedWorkspace(caller.userId(), recorded.get().workspaceId())
                    .orElseThrow(() -> ServiceException.notFound("no such workspace"));
        }
        if (emails.isEmpty() && groups.isEmpty()) {
            throw ServiceException.invalidArgument("share_folder.emails",
                    "name at least one user or group to share with");
        }
        if (groups.size() > MAX_EMAILS) {
            throw ServiceException.invalidArgument("share_folder.group_ids", "at most " + MAX_EMAILS + " groups");
        }
        List<UserRef> users = emails.isEmpty() ? List.of() : invitees(caller, emails);
        List<UUID> userIds = users.stream().map(UserRef::userId).toList();
        List<UUID> groupIds = List.copyOf(new LinkedHashSet<>(groups));
        if (folderId == 0) {
            SharedWorkspace answer = store.addMembers(caller, requestId, requestHash, workspaceId, userIds, groupIds,
                    role);
            log.info("request {}: added {} user(s) and {} group(s) to shared workspace {}", requestId, userIds.size(),
                    groupIds.size(), workspaceId);
            return answer;
        }
        if (folderId < 0) {
            throw ServiceException.notFound("no such folder");
        }
        SharingStore.FolderToShare folder = store.folderToShare(caller.userId(), workspaceId, folderId);
        UUID newId = workspaceIdFor(caller.deviceId(), requestId);
        StorageLocation location = layout.locationFor(newId);
        storage.provision(location);
        Set<String> copied = new HashSet<>();
        Set<String> toCopy = folder.chunks();
        for (int round = 0; round < MAX_ROUNDS; round++) {
            storage.copyChunks(folder.source(), location, toCopy);
            copied.addAll(toCopy);
            SharingStore.Outcome<SharedWorkspace> outcome = store.share(new SharingStore.NewShare(caller, requestId,
                    requestHash, workspaceId, folderId, newId, location, userIds, groupIds, role, copied));
            if (outcome.done().isPresent()) {
                SharedWorkspace answer = outcome.done().get();
                log.info("request {}: shared folder {} of workspace {} as workspace {} with {} user(s) and {} group(s)",
                        requestId, folderId, workspaceId, newId, userIds.size(), groupIds.size());
                return answer;
            }
            toCopy = outcome.missingChunks();
        }
        throw ServiceException.unavailable("the folder keeps changing while it is being shared; retry later",
                Failures.RETRY_AFTER, null);
    }

    /** unshare_folder: returns the members left (empty when the workspace was dissolved). */
    public List<Member> unshare(Principal caller, String requestId, byte[] requestHash, UUID workspaceId,
                                List<String> emails) {
        if (recorded(caller, requestId, UNSHARE, requestHash).isPresent()) {
            return store.sharedWorkspace(caller.userId(), workspaceId).map(SharedWorkspace::members)
                    .orElse(List.of());
        }
        if (emails.size() > MAX_EMAILS) {
            throw ServiceException.invalidArgument("unshare_folder.emails", "at most " + MAX_EMAILS + " emails");
        }
        List<UserRef> users = emails.isEmpty() ? List.of()
                : store.usersByEmail(distinct("unshare_folder.emails", emails));
        SharingStore.Removal plan = store.planRemoval(caller.userId(), workspaceId, users);
        Set<String> copied = new HashSet<>();
        Set<String> toCopy = plan.chunks();
        for (int round = 0; round < MAX_ROUNDS; round++) {
            if (!toCopy.isEmpty()) {
                storage.copyChunks(plan.location(), plan.ownerDefault(), toCopy);
                copied.addAll(toCopy);
            }
            SharingStore.Outcome<SharingStore.Removed> outcome = store.remove(caller, requestId, requestHash,
                    workspaceId, users, copied);
            if (outcome.done().isPresent()) {
                SharingStore.Removed removed = outcome.done().get();
                log.info("request {}: removed {} member(s) from shared workspace {}{}", requestId,
                        removed.removed().size(), workspaceId, removed.dissolved() ? "; dissolved it" : "");
                afterRemoval(removed, workspaceId, requestId);
                return removed.remaining();
            }
            toCopy = outcome.missingChunks();
        }
        throw ServiceException.unavailable("the workspace keeps changing while it is being dissolved; retry later",
                Failures.RETRY_AFTER, null);
    }

    /** list_members: NOT_FOUND unless the caller is a member. */
    public List<Member> members(UUID userId, UUID workspaceId) {
        return store.sharedWorkspace(userId, workspaceId).map(SharedWorkspace::members)
                .orElseThrow(() -> ServiceException.notFound("no such workspace"));
    }

    private Optional<SharingStore.Recorded> recorded(Principal caller, String requestId, String operation,
                                                     byte[] requestHash) {
        Optional<SharingStore.Recorded> recorded = store.recorded(caller.deviceId(), requestId);
        if (recorded.isPresent() && (!recorded.get().operation().equals(operation)
                || !Arrays.equals(recorded.get().requestHash(), requestHash))) {
            throw ServiceException.invalidArgument("request_id",
                    "request_id " + requestId + " was already used for a different request");
        }
        return recorded;
    }

    private List<UserRef> invitees(Principal caller, List<String> emails) {
        if (emails.size() > MAX_EMAILS) {
            throw ServiceException.invalidArgument("share_folder.emails", "at most " + MAX_EMAILS + " emails");
        }
        List<UserRef> users = store.usersByEmail(distinct("share_folder.emails", emails));
        for (UserRef user : users) {
            if (user.userId().equals(caller.userId())) {
                throw ServiceException.invalidArgument("share_folder.emails",
                        "you cannot share with yourself: " + user.email());
            }
        }
        return users;
    }

    private static List<String> distinct(String field, List<String> emails) {
        Set<String> seen = new LinkedHashSet<>();
        for (String email : emails) {
            seen.add(EmailAddresses.requirePlain(field, email));
        }
        return new ArrayList<>(seen);
    }

    /** Cleans up after the transaction; a failure is logged, never undoes the removal. */
    private void afterRemoval(SharingStore.Removed removed, UUID workspaceId, String requestId) {
        if (removed.dissolved() && !withRetries(() -> storage.remove(removed.location()))) {
            log.error("request {}: dissolved workspace {}, but its storage place {} could not be removed;"
                    + " its chunks are garbage to delete by hand", requestId, workspaceId, removed.location());
        }
    }

    private static boolean withRetries(Runnable call) {
        for (int attempt = 1; ; attempt++) {
            try {
                call.run();
                return true;
            } catch (ServiceException e) {
                if (e.kind() != ServiceException.Kind.UNAVAILABLE || attempt >= REMOVE_ATTEMPTS) {
                    log.warn("storage change failed after {} attempt(s): {}", attempt, e.getMessage());
                    return false;
                }
                try {
                    Thread.sleep(100L * attempt);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
    }
}

package org.syncservice.desktop.plan;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.syncservice.desktop.content.FileContent;
import org.syncservice.desktop.local.LocalEntry;
import org.syncservice.desktop.state.RemoteItem;
import org.syncservice.desktop.state.SyncedItem;

/**
 * Plans one round of sync from three trees: the local folder, the remote tree and the synced tree
 * (the last state both agreed on). Every decision is a three-way merge against the synced tree:
 * changed here only, push; changed there only, apply; changed on both sides, keep both. Pure: no
 * I/O but the {@link ContentSource} it asks for the content of changed files.
 *
 * <p>A round does what it can and leaves the rest to the next: after the executor ran a plan, the
 * engine scans and plans again until a plan is empty. Where one change must wait for another (a
 * remote move before a remote content change of the same file, a conflicted copy before the
 * download that takes its name) the planner emits only the first.
 *
 * <p>Local items are matched to synced ones by path within their parent's local place, then by
 * file key (the inode: a rename or move keeps it), then by content among files that appeared (a
 * file system without file keys, or a copy-and-delete move). So a rename of a folder holding
 * 100,000 files is one MOVED commit.
 *
 * <p>Thread-safety: immutable; {@link #plan} may run on any thread.
 */
public final class Planner {
    /** The mass-deletion guard acts only from this many vanished files on: a few deletes are normal. */
    public static final int MASS_DELETION_MINIMUM = 20;

    private final ConflictPolicy conflicts;
    private final double massDeletionShare;

    public Planner(ConflictPolicy conflicts, double massDeletionShare) {
        this.conflicts = Objects.requireNonNull(conflicts, "conflicts");
        this.massDeletionShare = massDeletionShare;
    }

    public Plan plan(PlanInput input, ContentSource contents) {
        return new Round(input, contents).plan();
    }

    /** The working state of one planning round. */
    private final class Round {
        private final PlanInput in;
        private final ContentSource contents;
        private final Map<Long, List<SyncedItem>> syncedChildren = new HashMap<>();
        private final Map<Long, String> localPlace = new HashMap<>();
        private final Map<String, Long> itemAtPlace = new HashMap<>();
        private final Set<String> claimed = new HashSet<>();
        /** Synced items this round forgets, deletes or moves aside: nothing may go into them. */
        private final Set<Long> leaving = new HashSet<>();
        /** Synced items deleted on the service, directly or with a folder above them. */
        private final Set<Long> remoteGone = new HashSet<>();
        /** Folders deleted on the service but kept here (moved or edited locally): kept with all they hold. */
        private final Set<Long> kept = new HashSet<>();
        /** Paths remote items will be created at this round (remote new items), by item id. */
        private final Map<Long, String> creating = new HashMap<>();
        private final Set<String> pathsTaken = new HashSet<>();
        private final Map<String, FileContent> read = new HashMap<>();
        private final Map<String, String> newFolderTemp = new HashMap<>();

        private final List<LocalOp> asides = new ArrayList<>();
        private final List<LocalOp> moves = new ArrayList<>();
        private final List<LocalOp.DeleteLocal> deletes = new ArrayList<>();
        private final List<LocalOp> creations = new ArrayList<>();
        private final List<LocalOp> bookkeeping = new ArrayList<>();

        private final List<CommitOp> deleteFiles = new ArrayList<>();
        private final List<CommitOp> movesToExisting = new ArrayList<>();
        private final List<CommitOp> deleteFolders = new ArrayList<>();
        private final List<CommitOp> newFolders = new ArrayList<>();
        private final List<CommitOp> movesToNew = new ArrayList<>();
        /** Local moves into folders not known yet when the move was decided: their parents come later. */
        private final List<CommitOp.Move> intoNewFolders = new ArrayList<>();
        private final List<CommitOp> newFiles = new ArrayList<>();
        private final List<CommitOp> changes = new ArrayList<>();
        private int tempIds;

        Round(PlanInput in, ContentSource contents) {
            this.in = in;
            this.contents = contents;
        }

        Plan plan() {
            for (SyncedItem s : in.synced().values()) {
                syncedChildren.computeIfAbsent(s.parentId(), k -> new ArrayList<>()).add(s);
            }
            syncedChildren.values().forEach(list -> list.sort(Comparator.comparingLong(SyncedItem::itemId)));
            pathsTaken.addAll(in.local().keySet());
            List<SyncedItem> topDown = topDown();
            matchLocal(topDown);
            for (SyncedItem s : topDown) {
                decide(s);
            }
            keepFoldersSomethingMovesOutOf();
            forgetOrphans(topDown);
            createRemoteNew();
            commitLocalNew();
            commitMovesIntoNewFolders();
            Optional<String> blocked = guardMassDeletion();
            List<LocalOp> local = new ArrayList<>(asides);
            local.addAll(moves);
            deletes.sort(Comparator.comparingInt((LocalOp.DeleteLocal d) -> Paths.depth(d.path())).reversed());
            local.addAll(deletes);
            local.addAll(creations);
            local.addAll(bookkeeping);
            List<CommitOp> commits = new ArrayList<>(deleteFiles);
            List<CommitOp> placesChanging = new ArrayList<>(movesToExisting);
            placesChanging.addAll(deleteFolders);
            placesChanging.addAll(newFolders);
            placesChanging.addAll(movesToNew);
            commits.addAll(inDependencyOrder(placesChanging));
            commits.addAll(newFiles);
            commits.addAll(changes);
            // What is moved aside this round is committed from its conflicted copy's name next round.
            List<String> asidePaths = asides.stream().map(a -> ((LocalOp.MoveAside) a).path()).toList();
            commits.removeIf(op -> !(op instanceof CommitOp.Delete)
                    && asidePaths.stream().anyMatch(aside -> isUnder(op.path(), aside)));
            return new Plan(local, commits, blocked);
        }

        /**
         * Moves, folder deletes and new folders in an order the service takes in one request: an
         * item moves (or a new folder is created) onto a name only after the item holding it moved
         * away or was deleted (the service checks names item by item), into a new folder only after
         * that folder is created, and a folder is deleted only after what moves out of it. Otherwise
         * the planner's order: moves into existing folders, folder deletes, new folders parents
         * first, moves into new folders. Moves waiting for each other (two names swapped) are
         * untied by one of them taking a temporary name for a round.
         */
        private List<CommitOp> inDependencyOrder(List<CommitOp> ops) {
            int n = ops.size();
            List<List<Integer>> after = new ArrayList<>();
            int[] waitsFor = new int[n];
            int[] freerOf = new int[n];
            java.util.Arrays.fill(freerOf, -1);
            Map<Slot, Integer> freedBy = new HashMap<>();
            Map<String, Integer> createdBy = new HashMap<>();
            for (int i = 0; i < n; i++) {
                after.add(new ArrayList<>());
                if (ops.get(i) instanceof CommitOp.New created) {
                    createdBy.put(created.tempId(), i);
                } else {
                    SyncedItem base = baseOf(ops.get(i));
                    freedBy.put(new Slot(base.parentId(), nameKey(base.name())), i);
                }
            }
            for (int i = 0; i < n; i++) {
                CommitOp op = ops.get(i);
                if (op instanceof CommitOp.Move m) {
                    if (m.parent().isNew()) {
                        waitFor(createdBy.get(m.parent().tempId()), i, after, waitsFor);
                    } else {
                        Integer freer = freedBy.get(new Slot(m.parent().itemId(), nameKey(m.name())));
                        if (freer != null && freer != i) {
                            waitFor(freer, i, after, waitsFor);
                            freerOf[i] = freer;
                        }
                    }
                } else if (op instanceof CommitOp.New created) {
                    if (created.parent().isNew()) {
                        waitFor(createdBy.get(created.parent().tempId()), i, after, waitsFor);
                    } else {
                        waitFor(freedBy.get(new Slot(created.parent().itemId(), nameKey(Paths.name(created.path())))),
                                i, after, waitsFor);
                    }
                } else if (op instanceof CommitOp.Delete d) {
                    for (int j = 0; j < n; j++) {
                        if (ops.get(j) instanceof CommitOp.Move m && isSyncedUnder(m.base(), d.base().itemId())) {
                            waitFor(j, i, after, waitsFor);
                        }
                    }
                }
            }
            List<CommitOp> ordered = new ArrayList<>(n);
            boolean[] placed = new boolean[n];
            java.util.PriorityQueue<Integer> ready = new java.util.PriorityQueue<>();
            for (int i = 0; i < n; i++) {
                if (waitsFor[i] == 0) {
                    ready.add(i);
                }
            }
            while (ordered.size() < n) {
                if (ready.isEmpty()) {
                    // Names swapped (a to b, b to a): one of them goes through a temporary name now,
                    // and to its own next round, which frees the name the others wait for.
                    int first = moveInACycle(ops, placed, freerOf);
                    if (first < 0) {
                        break;
                    }
                    CommitOp.Move m = (CommitOp.Move) ops.get(first);
                    ops.set(first, new CommitOp.Move(m.base(), m.path(), m.version(), m.parent(),
                            temporaryName(m.base()), m.entry()));
                    ready.add(first);
                }
                int i = ready.poll();
                if (placed[i]) {
                    continue;
                }
                placed[i] = true;
                ordered.add(ops.get(i));
                for (int j : after.get(i)) {
                    if (--waitsFor[j] == 0) {
                        ready.add(j);
                    }
                }
            }
            for (int i = 0; i < n; i++) {
                if (!placed[i]) {
                    ordered.add(ops.get(i));
                }
            }
            return ordered;
        }

        private static void waitFor(Integer first, int then, List<List<Integer>> after, int[] waitsFor) {
            if (first != null && first != then) {
                after.get(first).add(then);
                waitsFor[then]++;
            }
        }

        /**
         * A move waiting for a chain of moves that waits for it; else the first move into an
         * existing folder waiting (a temporary name frees the name it holds).
         */
        private static int moveInACycle(List<CommitOp> ops, boolean[] placed, int[] freerOf) {
            int firstWaiting = -1;
            for (int i = 0; i < ops.size(); i++) {
                if (placed[i] || !(ops.get(i) instanceof CommitOp.Move m) || m.parent().isNew()) {
                    continue;
                }
                firstWaiting = firstWaiting < 0 ? i : firstWaiting;
                int at = freerOf[i];
                for (int steps = 0; at >= 0 && at != i && steps < ops.size(); steps++) {
                    at = freerOf[at];
                }
                if (at == i) {
                    return i;
                }
            }
            return firstWaiting;
        }

        private boolean isSyncedUnder(SyncedItem s, long folderId) {
            Set<Long> seen = new HashSet<>();
            for (long at = s.parentId(); at != 0 && seen.add(at); ) {
                if (at == folderId) {
                    return true;
                }
                SyncedItem parent = in.synced().get(at);
                at = parent == null ? 0 : parent.parentId();
            }
            return false;
        }

        /** Synced items, parents before children, from the root down. */
        private List<SyncedItem> topDown() {
            List<SyncedItem> order = new ArrayList<>();
            List<Long> level = List.of(0L);
            while (!level.isEmpty()) {
                List<Long> next = new ArrayList<>();
                for (long parent : level) {
                    for (SyncedItem child : syncedChildren.getOrDefault(parent, List.of())) {
                        order.add(child);
                        if (child.folder()) {
                            next.add(child.itemId());
                        }
                    }
                }
                level = next;
            }
            return order;
        }

        // ---- where each synced item is now, locally -----------------------------------------------------

        private void matchLocal(List<SyncedItem> topDown) {
            Map<String, LocalEntry> byKey = new HashMap<>();
            Set<String> ambiguousKeys = new HashSet<>();
            for (LocalEntry e : in.local().values()) {
                if (e.fileKey() != null && byKey.put(e.fileKey(), e) != null) {
                    ambiguousKeys.add(e.fileKey());
                }
            }
            // Two synced items with one file key: one of them is stale (its file was deleted and the
            // inode number went to another file, a download's say), so the key tells neither.
            Set<String> syncedKeys = new HashSet<>();
            for (SyncedItem s : in.synced().values()) {
                if (s.fileKey() != null && !syncedKeys.add(s.fileKey())) {
                    ambiguousKeys.add(s.fileKey());
                }
            }
            ambiguousKeys.forEach(byKey::remove);
            List<SyncedItem> unmatchedFiles = new ArrayList<>();
            for (SyncedItem s : topDown) {
                LocalEntry found = locate(s, byKey);
                if (found != null) {
                    place(s.itemId(), found.path());
                } else if (!s.folder()) {
                    unmatchedFiles.add(s);
                }
            }
            matchByContent(unmatchedFiles);
        }

        private LocalEntry locate(SyncedItem s, Map<String, LocalEntry> byKey) {
            String parentPlace = s.parentId() == 0 ? "" : localPlace.get(s.parentId());
            LocalEntry atPath = null;
            if (parentPlace != null) {
                LocalEntry e = in.local().get(Paths.join(parentPlace, s.name()));
                if (e != null && e.folder() == s.folder() && !claimed.contains(e.path())) {
                    atPath = e;
                }
            }
            if (s.fileKey() == null || (atPath != null && s.fileKey().equals(atPath.fileKey()))) {
                return atPath;
            }
            LocalEntry byIdentity = byKey.get(s.fileKey());
            if (byIdentity != null && byIdentity.folder() == s.folder() && !claimed.contains(byIdentity.path())) {
                return byIdentity;
            }
            // Saved by writing a new file over the old one: a new identity at the same path.
            return atPath;
        }

        /** A file that vanished and one with its content that appeared: moved without its file key. */
        private void matchByContent(List<SyncedItem> vanished) {
            if (vanished.isEmpty()) {
                return;
            }
            Map<String, List<SyncedItem>> byChecksum = new HashMap<>();
            for (SyncedItem s : vanished) {
                if (s.size() > 0) {
                    byChecksum.computeIfAbsent(s.checksum(), k -> new ArrayList<>()).add(s);
                }
            }
            if (byChecksum.isEmpty()) {
                return;
            }
            Set<Long> sizes = new HashSet<>();
            byChecksum.values().forEach(list -> list.forEach(s -> sizes.add(s.size())));
            for (LocalEntry e : sortedLocal()) {
                if (e.folder() || claimed.contains(e.path()) || !sizes.contains(e.size())) {
                    continue;
                }
                FileContent c = content(e);
                List<SyncedItem> candidates = c == null ? null : byChecksum.get(c.checksum());
                if (candidates != null && !candidates.isEmpty()) {
                    place(candidates.remove(0).itemId(), e.path());
                }
            }
        }

        private void place(long itemId, String path) {
            localPlace.put(itemId, path);
            itemAtPlace.put(path, itemId);
            claimed.add(path);
        }

        // ---- one synced item --------------------------------------------------------------------------

        private void decide(SyncedItem s) {
            RemoteItem r = in.remote().get(s.itemId());
            String place = localPlace.get(s.itemId());
            if (s.parentId() != 0 && leaving.contains(s.parentId()) && place == null) {
                // Went with its folder (forgotten, deleted or moved aside): nothing of its own to do.
                leaving.add(s.itemId());
                return;
            }
            if (place != null && underAnAside(place)) {
                // Its place went aside earlier this round: it is at the copy's name now; next round.
                leaving.add(s.itemId());
                return;
            }
            // Moved out of its folder there before the folder was deleted: it goes where it went.
            boolean parentGone = s.parentId() != 0 && remoteGone.contains(s.parentId()) && !movedOutThere(s, r);
            if (s.parentId() != 0 && kept.contains(s.parentId())) {
                kept.add(s.itemId());
                leaving.add(s.itemId());
                remoteGone.add(s.itemId());
                bookkeeping.add(new LocalOp.Forget(s.itemId()));
                return;
            }
            if ((r != null && r.deleted()) || parentGone) {
                remoteGone.add(s.itemId());
                remoteDeleted(s, place);
            } else if (place == null) {
                localGone(s, r);
            } else {
                present(s, r, place);
            }
        }

        private boolean movedOutThere(SyncedItem s, RemoteItem r) {
            return r != null && !r.deleted() && r.version() > s.version() && r.parentId() != s.parentId();
        }

        /**
         * A folder deleted there stays here while an item in it moved out there and has not moved
         * here yet (its new folder is not here yet, say): deleting the folder now would take the
         * item's file and its agreed state along, and the move would never be applied. The local
         * moves run before the deletes, so one planned this round frees the folder in time.
         */
        private void keepFoldersSomethingMovesOutOf() {
            Set<Long> movingHere = new HashSet<>();
            for (LocalOp op : moves) {
                if (op instanceof LocalOp.MoveLocal m) {
                    movingHere.add(m.base().itemId());
                }
            }
            Set<Long> stillIn = new HashSet<>();
            for (RemoteItem r : in.remote().values()) {
                SyncedItem s = in.synced().get(r.itemId());
                if (s != null && movedOutThere(s, r) && localPlace.containsKey(s.itemId())
                        && !movingHere.contains(s.itemId())) {
                    stillIn.add(s.itemId());
                }
            }
            if (!stillIn.isEmpty()) {
                deletes.removeIf(d -> d.base().folder() && stillIn.stream()
                        .anyMatch(id -> isSyncedUnder(in.synced().get(id), d.base().itemId())));
            }
        }

        private void remoteDeleted(SyncedItem s, String place) {
            leaving.add(s.itemId());
            if (place == null) {
                bookkeeping.add(new LocalOp.Forget(s.itemId()));
                return;
            }
            LocalEntry e = in.local().get(place);
            boolean moved = movedLocally(s, place);
            if (moved || (!s.folder() && contentChanged(s, e))) {
                // An edit beats a delete: what is here comes back as new.
                if (s.folder()) {
                    kept.add(s.itemId());
                }
                bookkeeping.add(new LocalOp.Forget(s.itemId()));
            } else {
                deletes.add(new LocalOp.DeleteLocal(s, place, e));
            }
        }

        private void localGone(SyncedItem s, RemoteItem r) {
            if (r != null && r.version() > s.version() && (remoteMoved(s, r) || remoteContentChanged(s, r))) {
                // Deleted here, changed there: the change wins and comes back.
                leaving.add(s.itemId());
                bookkeeping.add(new LocalOp.Forget(s.itemId()));
                return;
            }
            if (s.parentId() != 0 && leaving.contains(s.parentId())) {
                leaving.add(s.itemId());
                return;
            }
            leaving.add(s.itemId());
            int files = s.folder() ? syncedFilesUnder(s.itemId()) : 1;
            // A newer remote version that changed nothing visible (renamed away and back, say) is
            // the one deleted: a delete of the agreed version would be a conflict every round.
            long latest = r == null ? s.version() : Math.max(s.version(), r.version());
            CommitOp delete = new CommitOp.Delete(s, syncedPath(s), latest + 1, files);
            (s.folder() ? deleteFolders : deleteFiles).add(delete);
        }

        private void present(SyncedItem s, RemoteItem r, String place) {
            LocalEntry e = in.local().get(place);
            boolean remoteNewer = r != null && r.version() > s.version();
            boolean rMoved = remoteNewer && remoteMoved(s, r);
            boolean rContent = remoteNewer && remoteContentChanged(s, r);
            boolean lMoved = movedLocally(s, place);
            String localChecksum = s.folder() ? null : localChecksum(s, e);
            if (!s.folder() && localChecksum == null) {
                return; // unreadable right now; next round
            }
            boolean lContent = !s.folder() && !localChecksum.equals(s.checksum());
            FileContent local = lContent ? content(e) : null;

            if (lContent && rContent) {
                if (local.checksum().equals(r.checksum())) {
                    if (!lMoved && !rMoved) {
                        bookkeeping.add(new LocalOp.Adopt(r, e));
                    } else if (rMoved) {
                        moveToRemotePlace(s, r, place);
                    } else {
                        bookkeeping.add(new LocalOp.Adopt(r, e)); // the local move is pushed next round
                    }
                } else if (conflicts.localKeepsName(place, e, local, r) && !rMoved) {
                    changes.add(new CommitOp.Change(s, place, r.version() + 1, e, local));
                } else {
                    moveAside(s.itemId(), place);
                }
                return;
            }
            if (rMoved) {
                String remotePlace = remotePlaceOf(r);
                if (remotePlace != null && remotePlace.equals(place)) {
                    // Both moved it to the same place: agreed; what is left shows next round.
                    bookkeeping.add(new LocalOp.MoveLocal(s, place, place, r));
                } else {
                    moveToRemotePlace(s, r, place);
                }
                return;
            }
            if (rContent) {
                creations.add(new LocalOp.Download(r, place, e));
                return;
            }
            if (remoteNewer) {
                if (!lMoved && !lContent) {
                    bookkeeping.add(new LocalOp.Adopt(r, e));
                    return;
                }
                // Nothing visible changed there (a touch): agree on it first, then push ours.
                bookkeeping.add(new LocalOp.Adopt(r, s.folder() ? e : syncedLook(s, e)));
                return;
            }
            if (lMoved && intoItsOwnRemoteSubtree(s, place)) {
                // Moved here into a folder the service has moved into this one meanwhile: the
                // service refuses the cycle, so its tree wins and the folder goes back to its place.
                moveToRemotePlace(s, r != null ? r : asAgreed(s), place);
                return;
            }
            if ((lMoved || lContent) && in.skippedPaths().contains(place)) {
                return; // the service refused this before, and the file has not changed since
            }
            if (lMoved) {
                Parent parent = localParent(place);
                if (parent == null) {
                    if (!itemAtPlace.containsKey(Paths.parent(place))) {
                        // Into a folder new here: committed after the new folders are known, in the
                        // same request, so the name it leaves is free for the rest of it.
                        intoNewFolders.add(new CommitOp.Move(s, place, s.version() + 1, null, Paths.name(place), e));
                    }
                    return;
                }
                // The move alone: a content change follows next round, from the moved state (a
                // CHANGED version must carry the name and parent the service has by then).
                CommitOp move = new CommitOp.Move(s, place, s.version() + 1, parent, Paths.name(place), e);
                (parent.isNew() ? movesToNew : movesToExisting).add(move);
                return;
            }
            if (lContent) {
                changes.add(new CommitOp.Change(s, place, s.version() + 1, e, local));
            } else if (!s.folder() && statChanged(s, e)) {
                bookkeeping.add(new LocalOp.RefreshStat(s, e));
            }
        }

        /** Whether the folder's local place is inside its own subtree as the service has it now. */
        private boolean intoItsOwnRemoteSubtree(SyncedItem s, String place) {
            if (!s.folder()) {
                return false;
            }
            Long parent = itemAtPlace.get(Paths.parent(place));
            Set<Long> seen = new HashSet<>();
            for (long at = parent == null ? 0 : parent; at != 0 && seen.add(at); ) {
                if (at == s.itemId()) {
                    return true;
                }
                RemoteItem above = in.remote().get(at);
                SyncedItem agreed = in.synced().get(at);
                at = above != null ? above.parentId() : agreed != null ? agreed.parentId() : 0;
            }
            return false;
        }

        /** The service's version of an item it has not changed since this device agreed on it. */
        private static RemoteItem asAgreed(SyncedItem s) {
            return new RemoteItem(s.itemId(), s.parentId(), s.name(), s.folder(), s.version(), false, s.checksum(),
                    s.size(), s.modifiedMs(), s.chunks(), "");
        }

        /** The local entry as it looked when agreed, so an Adopt keeps a local edit visible. */
        private LocalEntry syncedLook(SyncedItem s, LocalEntry e) {
            return new LocalEntry(e.path(), e.folder(), s.fileKey(), s.localSize(), s.localModifiedMs());
        }

        private void moveToRemotePlace(SyncedItem s, RemoteItem r, String place) {
            String target = remotePlaceOf(r);
            if (target == null || isUnder(target, place)) {
                return; // its new folder is not here yet, or a cycle locally: next round
            }
            Long holder = itemAtPlace.get(target);
            if (holder != null && !underAnAside(target) && !tookTheNameHere(holder, target)) {
                Set<Long> cycle = remoteCycle(s, holder);
                if (cycle != null && s.itemId() == java.util.Collections.min(cycle)) {
                    String temporary = Paths.join(Paths.parent(place), temporaryName(s));
                    if (!pathsTaken.contains(temporary)) {
                        pathsTaken.add(temporary);
                        moves.add(new LocalOp.MakeWay(s, place, temporary));
                    }
                }
                return; // another item is there now; it moves away first
            }
            if (in.local().containsKey(target) && !underAnAside(target)) {
                moveAside(0, target);
            }
            moves.add(new LocalOp.MoveLocal(s, place, target, r));
        }

        /**
         * The items of a cycle of remote moves {@code s} is part of, waiting for {@code holder}: each
         * goes where the next one is here (names swapped elsewhere). Null when the chain of items
         * in each other's way ends, so the last one's move frees the others' places in turn.
         */
        private Set<Long> remoteCycle(SyncedItem s, long holder) {
            Set<Long> cycle = new HashSet<>();
            cycle.add(s.itemId());
            for (long at = holder; cycle.add(at); ) {
                SyncedItem h = in.synced().get(at);
                RemoteItem there = in.remote().get(at);
                if (h == null || there == null || there.deleted() || there.version() <= h.version()
                        || !remoteMoved(h, there) || leaving.contains(at)) {
                    return null;
                }
                String next = remotePlaceOf(there);
                Long nextHolder = next == null ? null : itemAtPlace.get(next);
                if (nextHolder == null) {
                    return null;
                }
                if (nextHolder == s.itemId()) {
                    return cycle;
                }
                at = nextHolder;
            }
            return null;
        }

        /**
         * Whether the synced item at {@code path} was renamed or moved there here, onto the name the
         * service gave another item meanwhile: the local move lost the race and takes a conflicted
         * copy's name (its commit would be refused for as long as it tried). An item moved there by
         * the service, or leaving that place this round, is waited for instead.
         */
        private boolean tookTheNameHere(long holder, String path) {
            SyncedItem held = in.synced().get(holder);
            if (held == null || leaving.contains(holder) || !movedLocally(held, path)) {
                return false;
            }
            RemoteItem there = in.remote().get(holder);
            return there == null || there.version() <= held.version() || !remoteMoved(held, there);
        }

        private void moveAside(long itemId, String path) {
            String copy = conflicts.copyPath(path, p -> pathsTaken.contains(p) || remoteNameTaken(p));
            pathsTaken.add(copy);
            asides.add(new LocalOp.MoveAside(itemId, path, copy));
            if (itemId != 0) {
                leaving.add(itemId);
            }
            claimed.add(path);
            setAsideWithWhatIsThere(path);
        }

        /**
         * The synced items at or under a place moved aside (a local rename that lost its name to
         * the service's item, say) go with it: none of them does anything more this round, and
         * what was planned for them is withdrawn. Their files are at the copy's name from now on,
         * where the next round finds them; an operation at their old place would act on what
         * comes to that place instead (seed 607380: the download of the renamed file's remote edit
         * went to the name the service's file was downloaded to in the same round).
         */
        private void setAsideWithWhatIsThere(String path) {
            itemAtPlace.forEach((place, id) -> {
                if (isUnder(place, path)) {
                    leaving.add(id);
                }
            });
            moves.removeIf(op -> actsUnder(op, path));
            deletes.removeIf(op -> actsUnder(op, path));
            creations.removeIf(op -> actsUnder(op, path));
            bookkeeping.removeIf(op -> actsUnder(op, path));
        }

        /** Whether {@code path} is at or under a place moved aside this round. */
        private boolean underAnAside(String path) {
            return asides.stream().anyMatch(a -> isUnder(path, ((LocalOp.MoveAside) a).path()));
        }

        /** Synced items whose parent is not synced (a forgotten folder's leftovers): forget them too. */
        private void forgetOrphans(List<SyncedItem> topDown) {
            Set<Long> reached = new HashSet<>();
            topDown.forEach(s -> reached.add(s.itemId()));
            for (SyncedItem s : in.synced().values()) {
                if (!reached.contains(s.itemId())) {
                    bookkeeping.add(new LocalOp.Forget(s.itemId()));
                }
            }
        }

        // ---- remote items new to this device -----------------------------------------------------------

        private void createRemoteNew() {
            List<RemoteItem> fresh = new ArrayList<>();
            for (RemoteItem r : in.remote().values()) {
                if (in.synced().containsKey(r.itemId())) {
                    continue;
                }
                if (r.deleted()) {
                    bookkeeping.add(new LocalOp.DropRemote(r.itemId()));
                } else {
                    fresh.add(r);
                }
            }
            Map<Long, RemoteItem> freshById = new HashMap<>();
            fresh.forEach(r -> freshById.put(r.itemId(), r));
            // Parents before children: by depth in the remote tree.
            Map<Long, Integer> depth = new HashMap<>();
            fresh.sort(Comparator.comparingInt((RemoteItem r) -> remoteDepth(r, depth)).thenComparingLong(RemoteItem::itemId));
            for (RemoteItem r : fresh) {
                if (in.skippedItems().contains(r.itemId())) {
                    continue;
                }
                String parentPlace;
                if (r.parentId() == 0) {
                    parentPlace = "";
                } else if (in.synced().containsKey(r.parentId())) {
                    parentPlace = leaving.contains(r.parentId()) ? null : localPlace.get(r.parentId());
                } else {
                    parentPlace = creating.get(r.parentId());
                }
                if (parentPlace == null) {
                    continue;
                }
                String target = Paths.join(parentPlace, r.name());
                Long holder = itemAtPlace.get(target);
                if (holder != null && !underAnAside(target)) {
                    SyncedItem held = in.synced().get(holder);
                    if (held == null || !movedLocally(held, target) || leaving.contains(holder)) {
                        continue; // a synced item is there; it moves away first
                    }
                    // Renamed here onto the name the service gave a new item meanwhile: the rename
                    // lost the race, so the local item takes a conflicted copy's name instead.
                    moveAside(0, target);
                }
                LocalEntry here = in.local().get(target);
                if (here != null && !claimed.contains(target)) {
                    if (here.folder() && r.folder()) {
                        claimed.add(target);
                        creating.put(r.itemId(), target);
                        bookkeeping.add(new LocalOp.Adopt(r, here));
                        continue;
                    }
                    if (!here.folder() && !r.folder()) {
                        FileContent c = content(here);
                        if (c == null) {
                            continue;
                        }
                        if (c.checksum().equals(r.checksum())) {
                            claimed.add(target);
                            bookkeeping.add(new LocalOp.Adopt(r, here));
                            continue;
                        }
                    }
                    if (here.folder()) {
                        continue; // a local folder holds the name of a remote file: the folder is committed, the name clash reported
                    }
                    moveAside(0, target);
                } else if (here != null && !underAnAside(target)) {
                    continue;
                }
                creating.put(r.itemId(), target);
                claimed.add(target);
                creations.add(r.folder() ? new LocalOp.MakeFolder(r, target) : new LocalOp.Download(r, target, null));
            }
        }

        private int remoteDepth(RemoteItem r, Map<Long, Integer> memo) {
            Integer known = memo.get(r.itemId());
            if (known != null) {
                return known;
            }
            int d = 0;
            RemoteItem at = r;
            Set<Long> seen = new HashSet<>();
            while (at != null && at.parentId() != 0 && seen.add(at.itemId())) {
                d++;
                at = in.remote().get(at.parentId());
            }
            memo.put(r.itemId(), d);
            return d;
        }

        // ---- local items new to the service ------------------------------------------------------------

        private void commitLocalNew() {
            for (LocalEntry e : sortedLocal()) {
                String path = e.path();
                if (claimed.contains(path) || in.skippedPaths().contains(path)) {
                    continue;
                }
                Parent parent = localParent(path);
                if (parent == null) {
                    continue;
                }
                FileContent c = null;
                if (!e.folder()) {
                    c = content(e);
                    if (c == null) {
                        continue;
                    }
                }
                String tempId = "t" + (++tempIds);
                CommitOp.New op = new CommitOp.New(tempId, path, parent, e, c);
                if (e.folder()) {
                    newFolderTemp.put(path, tempId);
                    newFolders.add(op);
                } else {
                    newFiles.add(op);
                }
            }
        }

        /** The moves into folders new here that this round commits (their folders are committed too). */
        private void commitMovesIntoNewFolders() {
            for (CommitOp.Move m : intoNewFolders) {
                Parent parent = localParent(m.path());
                if (parent != null && parent.isNew()) {
                    movesToNew.add(new CommitOp.Move(m.base(), m.path(), m.version(), parent, m.name(), m.entry()));
                }
            }
        }

        /**
         * The folder the local item at {@code path} is in: the root, a synced folder staying here, or
         * a new local folder committed in this round; null when it must wait (its folder leaves).
         */
        private Parent localParent(String path) {
            String parentPath = Paths.parent(path);
            if (parentPath.isEmpty()) {
                return Parent.ROOT;
            }
            Long id = itemAtPlace.get(parentPath);
            if (id != null) {
                return leaving.contains(id) ? null : Parent.existing(id);
            }
            String temp = newFolderTemp.get(parentPath);
            return temp == null ? null : Parent.created(temp);
        }

        // ---- the guard ---------------------------------------------------------------------------------

        private Optional<String> guardMassDeletion() {
            int vanished = 0;
            for (CommitOp op : deleteFiles) {
                vanished += ((CommitOp.Delete) op).files();
            }
            for (CommitOp op : deleteFolders) {
                vanished += ((CommitOp.Delete) op).files();
            }
            long syncedFiles = in.synced().values().stream().filter(s -> !s.folder()).count();
            if (vanished < MASS_DELETION_MINIMUM || vanished <= massDeletionShare * syncedFiles) {
                return Optional.empty();
            }
            deleteFiles.clear();
            deleteFolders.clear();
            return Optional.of(vanished + " of " + syncedFiles + " synced files vanished from the folder at once;"
                    + " not deleting them on the server. If the folder's disk is unmounted, mount it again;"
                    + " if you deleted them, restart with --allow-mass-delete");
        }

        // ---- helpers ---------------------------------------------------------------------------------

        private boolean movedLocally(SyncedItem s, String place) {
            if (!Paths.name(place).equals(s.name())) {
                return true;
            }
            String parentPath = Paths.parent(place);
            if (parentPath.isEmpty()) {
                return s.parentId() != 0;
            }
            Long parent = itemAtPlace.get(parentPath);
            return parent == null || parent != s.parentId();
        }

        private boolean remoteMoved(SyncedItem s, RemoteItem r) {
            return r.parentId() != s.parentId() || !r.name().equals(s.name());
        }

        private boolean remoteContentChanged(SyncedItem s, RemoteItem r) {
            return !s.folder() && !r.checksum().equals(s.checksum());
        }

        private boolean statChanged(SyncedItem s, LocalEntry e) {
            return e.size() != s.localSize() || e.modifiedMs() != s.localModifiedMs()
                    || (s.fileKey() != null && e.fileKey() != null && !s.fileKey().equals(e.fileKey()));
        }

        private boolean contentChanged(SyncedItem s, LocalEntry e) {
            String checksum = localChecksum(s, e);
            return checksum == null || !checksum.equals(s.checksum());
        }

        /** The local file's checksum: the agreed one while the file looks as it did; null when unreadable. */
        private String localChecksum(SyncedItem s, LocalEntry e) {
            if (!statChanged(s, e)) {
                return s.checksum();
            }
            FileContent c = content(e);
            return c == null ? null : c.checksum();
        }

        private FileContent content(LocalEntry e) {
            return read.computeIfAbsent(e.path(), p -> contents.contentOf(e));
        }

        /** Where the remote item belongs locally: under its parent's local place. */
        private String remotePlaceOf(RemoteItem r) {
            if (r.parentId() == 0) {
                return r.name();
            }
            String parentPlace = localPlace.get(r.parentId());
            if (parentPlace == null || leaving.contains(r.parentId())) {
                return null;
            }
            return Paths.join(parentPlace, r.name());
        }

        private boolean remoteNameTaken(String path) {
            String parentPath = Paths.parent(path);
            long parentId;
            if (parentPath.isEmpty()) {
                parentId = 0;
            } else {
                Long id = itemAtPlace.get(parentPath);
                if (id == null) {
                    return false;
                }
                parentId = id;
            }
            String name = Paths.name(path);
            return in.remote().values().stream()
                    .anyMatch(r -> !r.deleted() && r.parentId() == parentId && r.name().equalsIgnoreCase(name));
        }

        private String syncedPath(SyncedItem s) {
            List<String> names = new ArrayList<>();
            SyncedItem at = s;
            Set<Long> seen = new HashSet<>();
            while (at != null && seen.add(at.itemId())) {
                names.add(0, at.name());
                at = at.parentId() == 0 ? null : in.synced().get(at.parentId());
            }
            return String.join("/", names);
        }

        private int syncedFilesUnder(long folderId) {
            int files = 0;
            for (SyncedItem child : syncedChildren.getOrDefault(folderId, List.of())) {
                files += child.folder() ? syncedFilesUnder(child.itemId()) : 1;
            }
            return files;
        }

        private List<LocalEntry> sortedLocal() {
            List<LocalEntry> entries = new ArrayList<>(in.local().values());
            entries.sort(Comparator.comparingInt((LocalEntry e) -> Paths.depth(e.path())).thenComparing(LocalEntry::path));
            return entries;
        }
    }

    /** A name's place in a folder as the service compares names: after NFC, case-insensitively. */
    private record Slot(long parentId, String nameKey) {
    }

    private static String nameKey(String name) {
        return java.text.Normalizer.normalize(name, java.text.Normalizer.Form.NFC)
                .toUpperCase(java.util.Locale.ROOT).toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * The name an item takes for a round to break a cycle of renames: its own name and id, so no
     * other item of the folder holds it, and no name the client ignores, so every device syncs it.
     */
    static String temporaryName(SyncedItem s) {
        return s.name() + ".renaming-" + s.itemId();
    }

    /** The agreed state a move or a delete starts from. */
    private static SyncedItem baseOf(CommitOp op) {
        return op instanceof CommitOp.Move m ? m.base() : ((CommitOp.Delete) op).base();
    }

    /** Whether a local operation reads or writes at or under {@code folder}. */
    private static boolean actsUnder(LocalOp op, String folder) {
        if (op instanceof LocalOp.MoveLocal m) {
            return isUnder(m.from(), folder) || isUnder(m.to(), folder);
        } else if (op instanceof LocalOp.MakeWay w) {
            return isUnder(w.path(), folder) || isUnder(w.temporaryPath(), folder);
        } else if (op instanceof LocalOp.DeleteLocal d) {
            return isUnder(d.path(), folder);
        } else if (op instanceof LocalOp.MakeFolder f) {
            return isUnder(f.path(), folder);
        } else if (op instanceof LocalOp.Download d) {
            return isUnder(d.path(), folder);
        } else if (op instanceof LocalOp.Adopt a) {
            return isUnder(a.entry().path(), folder);
        } else if (op instanceof LocalOp.RefreshStat r) {
            return isUnder(r.entry().path(), folder);
        }
        return false; // asides, forgetting: about items, not places
    }

    static boolean isUnder(String path, String folder) {
        return path.equals(folder) || path.startsWith(folder + '/');
    }
}

package org.syncservice.embedded.demo;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.syncservice.client.NotificationHandler;
import org.syncservice.client.NotificationListener;
import org.syncservice.client.SyncClientOptions;
import org.syncservice.client.SyncPosition;
import org.syncservice.client.WorkspaceChanges;
import org.syncservice.protocol.v1.CommitItem;
import org.syncservice.protocol.v1.CommitItemResult;
import org.syncservice.protocol.v1.CommitNotification;
import org.syncservice.protocol.v1.CommitOutcome;
import org.syncservice.protocol.v1.CommitResponse;
import org.syncservice.protocol.v1.Item;
import org.syncservice.protocol.v1.ItemStatus;

/**
 * The demo, step by step, told in plain sentences on a {@link PrintStream}: two devices of one user
 * (a laptop and a phone) sync a folder and a file through the service, with chunks going straight
 * to object storage through signed URLs, a conflict resolved the way a client should, and a
 * rename and a delete reaching the other device. Uses only the client SDK and plain HTTP.
 * {@link #run()} throws {@link DemoFailure} at the first unexpected outcome. Not thread-safe.
 */
public final class Demo {
    /** Small chunks, so a page of text makes several of them. */
    static final int CHUNK_SIZE = 2048;
    static final Duration NOTIFICATION_TIMEOUT = Duration.ofSeconds(20);
    static final String NOTES = "notes.txt";
    static final String RENAMED_NOTES = "notes (final).txt";
    static final String CONFLICTED_COPY = "notes (conflicted copy from phone).txt";

    private final SyncClientOptions options;
    private final String email;
    private final String password;
    private final PrintStream out;
    private final BlockingQueue<WorkspaceChanges> phoneInbox = new LinkedBlockingQueue<>();
    private final Set<Long> phoneSeen = ConcurrentHashMap.newKeySet();
    private final List<Long> laptopChangeSeqs = new ArrayList<>();
    private int notifications;
    private int chunksUploaded;
    private int chunksDownloaded;

    /**
     * @param options where the service's broker is (with {@code requestExpiration(false)} on Qpid)
     * @param email the demo user's email
     * @param password the demo user's password
     * @param out where the story goes
     */
    public Demo(SyncClientOptions options, String email, String password, PrintStream out) {
        this.options = options;
        this.email = email;
        this.password = password;
        this.out = out;
    }

    public DemoReport run() {
        long started = System.nanoTime();
        ChunkTransfer transfer = new ChunkTransfer();
        // A folder of its own per run, so the demo can run again on the same account.
        String folderName = "demo-" + HexFormat.of().toHexDigits((short) ThreadLocalRandom.current().nextInt());

        step("1. Two devices of %s log in: a laptop and a phone.", email);
        try (Device laptop = Device.login(options, email, password, "laptop", transfer);
             Device phone = Device.login(options, email, password, "phone", transfer)) {
            Map<String, String> deviceNames = Map.of(laptop.deviceId(), "laptop", phone.deviceId(), "phone");
            say("The laptop is device %s, the phone is device %s.", laptop.deviceId(), phone.deviceId());
            say("Both sync the user's workspace %s.", laptop.workspaceId());
            phone.changes();
            NotificationHandler handler = new NotificationHandler() {
                @Override
                public void onChanges(WorkspaceChanges changes) {
                    changes.items().forEach(item -> phoneSeen.add(item.getChangeSeq()));
                    changes.commit().ifPresent(commit -> phoneSeen.add(commit.getChangeSeq()));
                    phoneInbox.add(changes);
                }
            };
            try (NotificationListener listener = NotificationListener.start(phone.client(), options, phone.deviceId(),
                    Map.of(phone.workspaceId(), new SyncPosition(phone.cursor(), phone.changeSeq())), handler)) {
                say("The phone is up to date (change %d) and listens for notifications.", phone.changeSeq());

                // 2. Create a folder and a file in one commit.
                step("2. The laptop creates the folder %s with %s inside, in one commit.", folderName, NOTES);
                FileContent notes = FileContent.of(text("Meeting notes", 24), CHUNK_SIZE);
                say("%s is %d bytes. The laptop cuts it into %d chunks of at most %d bytes, each named by the"
                        + " SHA-256 of its bytes:", NOTES, notes.size(), notes.chunkNames().size(), CHUNK_SIZE);
                notes.chunks().forEach((name, bytes) -> say("  chunk %s (%d bytes)", name, bytes.length));
                say("Before committing, it asks get_storage_urls for WRITE URLs and PUTs the chunks to storage:");
                say("  %d chunks uploaded through signed URLs (the laptop holds no storage credentials).",
                        upload(laptop, notes));
                CommitResponse created = laptop.commitExpectingSuccess("creating the folder and the file",
                        CommitItem.newBuilder().setTempId("folder").setVersion(1)
                                .setStatus(ItemStatus.ITEM_STATUS_NEW).setName(folderName).setIsFolder(true).build(),
                        newFile("notes", NOTES, notes).setParentTempId("folder").build());
                laptopChangeSeqs.add(created.getChangeSeq());
                Item folder = created.getResults(0).getCurrent();
                Item notesV1 = created.getResults(1).getCurrent();
                say("Committed as change %d: the folder is item %d, %s is item %d at version %d.",
                        created.getChangeSeq(), folder.getItemId(), NOTES, notesV1.getItemId(), notesV1.getVersion());

                // 3. The phone hears of it and fetches it.
                step("3. The phone is notified and fetches the change.");
                announce(awaitPhone(created.getChangeSeq()), deviceNames);
                List<Item> fetched = phone.changes();
                say("The phone asks get_changes from its cursor and gets %d items:", fetched.size());
                fetched.forEach(item -> say("  %s", describe(item)));
                Item phoneNotes = find(fetched, notesV1.getItemId(), "the phone's get_changes");
                expectContent(phone, phoneNotes, notes, "the phone's download of " + NOTES);
                say("It gets READ URLs, downloads the %d chunks and puts them together: %d bytes, the same"
                        + " SHA-256 as the laptop's file.", phoneNotes.getChunksCount(), notes.size());

                // 4. Both edit the same version: one wins, the other keeps a conflicted copy.
                step("4. Both devices edit %s at version %d at the same time.", NOTES, notesV1.getVersion());
                FileContent laptopEdit = FileContent.of(text("Meeting notes, edited on the laptop", 26), CHUNK_SIZE);
                FileContent phoneEdit = FileContent.of(text("Meeting notes, edited on the phone", 25), CHUNK_SIZE);
                upload(laptop, laptopEdit);
                upload(phone, phoneEdit);
                say("Each uploads the chunks of its edit, then commits version %d.", notesV1.getVersion() + 1);
                CommitResponse laptopWins = laptop.commitExpectingSuccess("the laptop's edit",
                        nextVersion(notesV1, ItemStatus.ITEM_STATUS_CHANGED, laptopEdit).build());
                laptopChangeSeqs.add(laptopWins.getChangeSeq());
                Item notesV2 = laptopWins.getResults(0).getCurrent();
                say("The laptop is first: COMMITTED as change %d.", laptopWins.getChangeSeq());
                CommitItemResult lost = phone.commit(
                        nextVersion(phoneNotes, ItemStatus.ITEM_STATUS_CHANGED, phoneEdit).build()).getResults(0);
                if (lost.getOutcome() != CommitOutcome.COMMIT_OUTCOME_CONFLICT) {
                    throw new DemoFailure("the phone's edit of the same version should be a CONFLICT, the service"
                            + " answered " + lost.getOutcome());
                }
                Item server = lost.getCurrent();
                if (server.getVersion() != notesV2.getVersion() || !server.getDeviceId().equals(laptop.deviceId())) {
                    throw new DemoFailure("the conflict should carry the laptop's version " + notesV2.getVersion()
                            + ", it carries version " + server.getVersion() + " from device " + server.getDeviceId());
                }
                say("The phone gets CONFLICT, with the server's current version: %s.", describe(server));
                CommitResponse copy = phone.commitExpectingSuccess("the conflicted copy",
                        newFile("copy", CONFLICTED_COPY, phoneEdit).setParentId(folder.getItemId()).build());
                Item copyItem = copy.getResults(0).getCurrent();
                say("As a client should, it keeps its edit as a NEW file \"%s\" (item %d, change %d)",
                        CONFLICTED_COPY, copyItem.getItemId(), copy.getChangeSeq());
                say("and takes the server's version of %s:", NOTES);
                announce(awaitPhone(laptopWins.getChangeSeq()), deviceNames);
                Item phoneNotesV2 = find(phone.changes(), notesV1.getItemId(), "the phone's get_changes");
                expectContent(phone, phoneNotesV2, laptopEdit, "the phone's download of the laptop's edit");
                say("  downloaded version %d: %d bytes, the laptop's edit.", phoneNotesV2.getVersion(),
                        laptopEdit.size());

                // 5. A rename and a delete reach the phone.
                step("5. The laptop renames %s and deletes the conflicted copy after merging it.", NOTES);
                Item laptopCopy = find(laptop.changes(), copyItem.getItemId(), "the laptop's get_changes");
                say("The laptop sees the phone's copy through get_changes: %s.", describe(laptopCopy));
                CommitResponse renamed = laptop.commitExpectingSuccess("the rename",
                        nextVersion(notesV2, ItemStatus.ITEM_STATUS_RENAMED, null).setName(RENAMED_NOTES).build());
                laptopChangeSeqs.add(renamed.getChangeSeq());
                say("Renamed %s to \"%s\": change %d.", NOTES, RENAMED_NOTES, renamed.getChangeSeq());
                Item seenRename = find(announce(awaitPhone(renamed.getChangeSeq()), deviceNames),
                        notesV1.getItemId(), "the rename notification");
                expect(seenRename.getName().equals(RENAMED_NOTES), "the phone should see the new name, it sees "
                        + seenRename.getName());
                CommitResponse deleted = laptop.commitExpectingSuccess("the delete",
                        nextVersion(laptopCopy, ItemStatus.ITEM_STATUS_DELETED, null).clearChunks().build());
                laptopChangeSeqs.add(deleted.getChangeSeq());
                say("Deleted \"%s\": change %d.", CONFLICTED_COPY, deleted.getChangeSeq());
                Item seenDelete = find(announce(awaitPhone(deleted.getChangeSeq()), deviceNames),
                        copyItem.getItemId(), "the delete notification");
                expect(seenDelete.getStatus() == ItemStatus.ITEM_STATUS_DELETED,
                        "the phone should see a tombstone, it sees " + describe(seenDelete));
                expect(phoneSeen.containsAll(laptopChangeSeqs), "the phone saw changes " + phoneSeen
                        + " but the laptop made " + laptopChangeSeqs);
            }
            Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
            step("6. Done in %.1f s.", elapsed.toMillis() / 1000.0);
            say("The laptop made %d commits (changes %s); the phone was told of every one of them (%d"
                    + " notifications printed) and made 1 of its own.", laptopChangeSeqs.size(), laptopChangeSeqs,
                    notifications);
            say("%d chunks went up and %d came down, straight to and from storage through signed URLs;",
                    chunksUploaded, chunksDownloaded);
            say("one conflict was detected by the service and resolved by the phone with a conflicted copy.");
            return new DemoReport(laptop.workspaceId(), laptopChangeSeqs, phoneSeen, notifications, chunksUploaded,
                    chunksDownloaded, elapsed);
        }
    }

    private int upload(Device device, FileContent content) {
        int uploaded = device.upload(content);
        chunksUploaded += uploaded;
        return uploaded;
    }

    private void expectContent(Device device, Item file, FileContent expected, String what) {
        byte[] downloaded = device.download(file);
        chunksDownloaded += file.getChunksCount();
        expect(FileContent.checksumOf(downloaded).equals(file.getChecksum()),
                what + ": the bytes do not match the checksum the item carries");
        expect(Arrays.equals(downloaded, expected.bytes()), what + ": the bytes differ from what was written");
    }

    /** Waits for the phone's listener to hand over the commit with that change sequence number. */
    private WorkspaceChanges awaitPhone(long changeSeq) {
        long deadline = System.nanoTime() + NOTIFICATION_TIMEOUT.toNanos();
        try {
            while (true) {
                WorkspaceChanges changes = phoneInbox.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (changes == null) {
                    throw new DemoFailure("the phone heard nothing of change " + changeSeq + " within "
                            + NOTIFICATION_TIMEOUT.toSeconds() + " s");
                }
                if (changes.commit().map(CommitNotification::getChangeSeq).orElse(-1L) == changeSeq
                        || (changes.fromCatchUp() && changes.changeSeq() >= changeSeq)) {
                    return changes;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DemoFailure("interrupted while waiting for change " + changeSeq, e);
        }
    }

    private List<Item> announce(WorkspaceChanges changes, Map<String, String> deviceNames) {
        if (changes.commit().isPresent()) {
            CommitNotification commit = changes.commit().get();
            notifications++;
            say("Phone notified: workspace %s, change %d, committed by device %s (the %s), %d item(s):",
                    commit.getWorkspaceId(), commit.getChangeSeq(), commit.getDeviceId(),
                    deviceNames.getOrDefault(commit.getDeviceId(), "unknown device"), changes.items().size());
        } else {
            say("The phone caught up with get_changes to change %d, %d item(s):", changes.changeSeq(),
                    changes.items().size());
        }
        changes.items().forEach(item -> say("  %s", describe(item)));
        return changes.items();
    }

    private static Item find(List<Item> items, long itemId, String where) {
        return items.stream().filter(item -> item.getItemId() == itemId).findFirst()
                .orElseThrow(() -> new DemoFailure(where + " does not include item " + itemId));
    }

    private static CommitItem.Builder newFile(String tempId, String name, FileContent content) {
        return CommitItem.newBuilder().setTempId(tempId).setVersion(1).setStatus(ItemStatus.ITEM_STATUS_NEW)
                .setName(name).setMimeType("text/plain").setChecksum(content.checksum()).setSize(content.size())
                .setModifiedAtMs(System.currentTimeMillis()).addAllChunks(content.chunkNames());
    }

    /** The next version of an item: its latest metadata, the status, and new content if given. */
    private static CommitItem.Builder nextVersion(Item latest, ItemStatus status, FileContent content) {
        CommitItem.Builder next = CommitItem.newBuilder().setItemId(latest.getItemId())
                .setVersion(latest.getVersion() + 1).setStatus(status).setName(latest.getName())
                .setIsFolder(latest.getIsFolder()).setMimeType(latest.getMimeType())
                .setChecksum(latest.getChecksum()).setSize(latest.getSize())
                .setModifiedAtMs(latest.getModifiedAtMs()).addAllChunks(latest.getChunksList());
        if (latest.getParentId() != 0) {
            next.setParentId(latest.getParentId());
        }
        if (content != null) {
            next.setChecksum(content.checksum()).setSize(content.size())
                    .setModifiedAtMs(System.currentTimeMillis()).clearChunks().addAllChunks(content.chunkNames());
        }
        return next;
    }

    private static String describe(Item item) {
        String what = item.getIsFolder() ? "folder" : "file";
        String status = item.getStatus().name().substring("ITEM_STATUS_".length());
        return String.format("%s \"%s\" (item %d, version %d, %s%s, change %d)", what, item.getName(),
                item.getItemId(), item.getVersion(), status,
                item.getIsFolder() || item.getStatus() == ItemStatus.ITEM_STATUS_DELETED ? ""
                        : ", " + item.getSize() + " bytes in " + item.getChunksCount() + " chunks",
                item.getChangeSeq());
    }

    private static String text(String title, int paragraphs) {
        StringBuilder text = new StringBuilder(title).append("\n\n");
        for (int i = 1; i <= paragraphs; i++) {
            text.append(i).append(". ").append(title).append(": the quick brown fox jumps over the lazy dog;"
                    + " pack my box with five dozen liquor jugs; sphinx of black quartz, judge my vow.\n");
            text.append("   Follow-up ").append(i).append(": sync the folder, check the chunks, compare the hashes.\n");
        }
        return text.toString();
    }

    private static void expect(boolean condition, String failure) {
        if (!condition) {
            throw new DemoFailure(failure);
        }
    }

    private void step(String format, Object... args) {
        out.println();
        out.println(String.format(format, args));
    }

    private void say(String format, Object... args) {
        out.println("   " + String.format(format, args));
    }
}

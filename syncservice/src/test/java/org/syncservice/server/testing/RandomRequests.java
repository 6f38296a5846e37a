package org.syncservice.server.testing;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.syncservice.protocol.v1.Request;

/**
 * Structurally valid {@link Request}s with hostile field values, for fuzzing: every field of the
 * chosen operation's message (nested messages and repeated fields included) is filled, or not,
 * from a mix of ordinary values, known ids (so requests reach past the lookups) and trouble
 * (control characters, huge and non-BMP strings, SQL, path traversal, negative and extreme
 * numbers, enum numbers the protocol does not define, garbage cursors). Driven by one seed, so a
 * failing case is reproduced from the seed alone. Not thread-safe.
 */
public final class RandomRequests {
    private static final String[] TROUBLE = {
            "", " ", ".", "..", "/", "../../etc/passwd", "a/b", "'; DROP TABLE items; --", "\u0000", "a\u0000b",
            "\n", "\r\n", "\t", "\u007f", "\u202e", "\uFEFF", "\uD83D\uDE00", "\uD800", "\uDFFF", "CON", "nul",
            "%s%n", "${jndi:ldap://x}", "\\", "null", "-1", "0", "9223372036854775807", "e\u0301", "\u00e9",
            "A\u030A", "\u212B", "ß", "İ", "%00", "<script>", "*", "?", "🙂".repeat(100),
    };
    private static final long[] NUMBERS = {
            0, 1, -1, 2, 3, 10, 100, Long.MIN_VALUE, Long.MAX_VALUE, Integer.MIN_VALUE, Integer.MAX_VALUE,
            Integer.MAX_VALUE + 1L, 1L << 40, -(1L << 40), 1_717_000_000_000L, 4_102_444_800_000L,
    };

    private final Random random;
    private final List<String> knownIds;
    private final List<Long> knownNumbers;

    /**
     * @param knownIds ids that exist (workspaces, devices, users, cursors) to mix in
     * @param knownNumbers numeric ids and versions that exist (items, versions, sequence numbers)
     */
    public RandomRequests(long seed, List<String> knownIds, List<Long> knownNumbers) {
        this.random = new Random(seed);
        this.knownIds = new ArrayList<>(knownIds);
        this.knownNumbers = new ArrayList<>(knownNumbers);
    }

    /** Every operation field of the envelope. */
    public static List<FieldDescriptor> operations() {
        return Request.getDescriptor().getOneofs().get(0).getFields();
    }

    /** A request for the operation with random fields, the given token and a fresh request id. */
    public Request request(FieldDescriptor operation, String token, String requestId) {
        Request.Builder request = Request.newBuilder().setRequestId(requestId).setToken(token);
        if (random.nextInt(10) == 0) {
            request.setDeadlineMs(number());
        }
        // The operation is built dynamically from its descriptor, then carried over as bytes.
        byte[] operationBytes = message(operation.getMessageType(), 0).toByteArray();
        try {
            return request.mergeFrom(com.google.protobuf.DynamicMessage.newBuilder(Request.getDescriptor())
                    .setField(operation, com.google.protobuf.DynamicMessage.parseFrom(operation.getMessageType(),
                            operationBytes))
                    .build().toByteArray()).build();
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A commit that is well formed but for one or two hostile fields per item, so it reaches the
     * commit rules and the store rather than stopping at the first check.
     */
    public Request plausibleCommit(String workspaceId, String token, String requestId) {
        org.syncservice.protocol.v1.CommitRequest.Builder commit =
                org.syncservice.protocol.v1.CommitRequest.newBuilder().setWorkspaceId(workspaceId);
        int count = 1 + random.nextInt(6);
        for (int i = 0; i < count; i++) {
            org.syncservice.protocol.v1.CommitItem.Builder item = org.syncservice.protocol.v1.CommitItem.newBuilder()
                    .setTempId("t" + i).setVersion(1).setStatus(org.syncservice.protocol.v1.ItemStatus.ITEM_STATUS_NEW)
                    .setName("file-" + random.nextInt(1000)).setIsFolder(random.nextInt(3) == 0)
                    .setModifiedAtMs(1_717_000_000_000L);
            if (!item.getIsFolder()) {
                item.setMimeType("text/plain").setSize(random.nextInt(1000))
                        .setChecksum("sha256:" + Long.toHexString(random.nextLong())).addChunks("chunk-" + random.nextInt(1_000_000) + "abc");
            }
            if (i > 0 && random.nextBoolean()) {
                item.setParentTempId("t" + random.nextInt(i + 1));
            }
            int hostile = random.nextInt(12);
            switch (hostile) {
                case 0 -> item.setName(string());
                case 1 -> item.setParentId(numericId());
                case 2 -> item.setItemId(numericId()).setVersion(numericId())
                        .setStatus(org.syncservice.protocol.v1.ItemStatus.forNumber(1 + random.nextInt(5)));
                case 3 -> item.setSize(number());
                case 4 -> item.setVersion(number());
                case 5 -> item.setParentTempId(string());
                case 6 -> item.setChecksum(string());
                case 7 -> item.setMimeType(string());
                case 8 -> item.addChunks(string());
                case 9 -> item.setModifiedAtMs(number());
                case 10 -> item.setTempId(random.nextBoolean() ? "t0" : string());
                default -> { }
            }
            commit.addItems(item);
        }
        return Request.newBuilder().setRequestId(requestId).setToken(token).setCommit(commit).build();
    }

    private Message message(Descriptor type, int depth) {
        Message.Builder builder = com.google.protobuf.DynamicMessage.newBuilder(type);
        for (FieldDescriptor field : type.getFields()) {
            if (random.nextInt(4) == 0) {
                continue;
            }
            if (field.isRepeated()) {
                int count = depth > 2 ? 0 : repeatCount();
                for (int i = 0; i < count; i++) {
                    builder.addRepeatedField(field, value(field, depth));
                }
            } else {
                builder.setField(field, value(field, depth));
            }
        }
        return builder.build();
    }

    private int repeatCount() {
        return switch (random.nextInt(10)) {
            case 0 -> 0;
            case 1 -> 20 + random.nextInt(200);
            default -> 1 + random.nextInt(4);
        };
    }

    private Object value(FieldDescriptor field, int depth) {
        return switch (field.getJavaType()) {
            case STRING -> field.getName().endsWith("_id") || field.getName().equals("cursor")
                    ? idLike() : string();
            case LONG -> field.getName().endsWith("_id") || field.getName().contains("version")
                    ? numericId() : number();
            case INT -> (int) number();
            case BOOLEAN -> random.nextBoolean();
            case ENUM -> enumValue(field.getEnumType());
            case BYTE_STRING -> ByteString.copyFrom(bytes(random.nextInt(64)));
            case MESSAGE -> message(field.getMessageType(), depth + 1);
            case FLOAT -> random.nextFloat();
            case DOUBLE -> random.nextDouble();
        };
    }

    private Object enumValue(EnumDescriptor type) {
        if (random.nextInt(4) == 0) {
            // A number the protocol does not define: a newer client, or garbage.
            return type.findValueByNumberCreatingIfUnknown(random.nextInt(4) == 0 ? -1 - random.nextInt(5)
                    : 100 + random.nextInt(1000));
        }
        List<com.google.protobuf.Descriptors.EnumValueDescriptor> values = type.getValues();
        return values.get(random.nextInt(values.size()));
    }

    private String idLike() {
        return switch (random.nextInt(6)) {
            case 0, 1 -> knownIds.isEmpty() ? UUID.randomUUID().toString()
                    : knownIds.get(random.nextInt(knownIds.size()));
            case 2 -> UUID.randomUUID().toString();
            case 3 -> Base64.getUrlEncoder().encodeToString(bytes(random.nextInt(80)));
            default -> string();
        };
    }

    private long numericId() {
        return random.nextInt(3) == 0 || knownNumbers.isEmpty() ? number()
                : knownNumbers.get(random.nextInt(knownNumbers.size()));
    }

    private long number() {
        return switch (random.nextInt(3)) {
            case 0 -> NUMBERS[random.nextInt(NUMBERS.length)];
            case 1 -> random.nextLong();
            default -> random.nextInt(2000) - 1000;
        };
    }

    private String string() {
        return switch (random.nextInt(8)) {
            case 0 -> TROUBLE[random.nextInt(TROUBLE.length)];
            case 1 -> "x".repeat(random.nextInt(8) == 0 ? 60_000 + random.nextInt(10_000) : 200 + random.nextInt(5000));
            case 2 -> randomCodePoints(1 + random.nextInt(40), 0x10FFFF);
            case 3 -> randomCodePoints(1 + random.nextInt(20), 0x20);
            case 4 -> "name-" + random.nextInt(50) + TROUBLE[random.nextInt(TROUBLE.length)];
            default -> "name-" + random.nextInt(50);
        };
    }

    private String randomCodePoints(int count, int maxCodePoint) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < count; i++) {
            int codePoint = random.nextInt(maxCodePoint + 1);
            if (codePoint >= 0xD800 && codePoint <= 0xDFFF) {
                text.append((char) codePoint); // a lone surrogate: not valid UTF-16
            } else {
                text.appendCodePoint(codePoint);
            }
        }
        return text.toString();
    }

    public byte[] bytes(int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }
}

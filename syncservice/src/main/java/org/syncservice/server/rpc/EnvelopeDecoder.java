package org.syncservice.server.rpc;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.OneofDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.UnknownFieldSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.syncservice.protocol.v1.Request;
import org.syncservice.server.core.ServiceException;

/**
 * Turns a request body into a {@link Request}, refusing what is too large, what does not parse,
 * and what carries fields this server does not know. Unknown fields are refused rather than
 * skipped: random bytes often parse as a message made only of unknown fields, and a client
 * field the server silently ignored would be a change silently dropped. An unknown field in the
 * operation range of the envelope is an operation from a newer protocol: UNIMPLEMENTED.
 * Thread-safe.
 */
final class EnvelopeDecoder {
    static final int FIRST_OPERATION_FIELD = 10;
    static final int LAST_OPERATION_FIELD = 99;

    private final int maxMessageBytes;
    private final Map<Descriptor, MessageFields> messageFields =
            new ConcurrentHashMap<>();

    EnvelopeDecoder(int maxMessageBytes) {
        this.maxMessageBytes = maxMessageBytes;
    }

    /** Checks the size and parses; the request's own id is known only once this succeeds. */
    Request parse(byte[] body) {
        if (body.length > maxMessageBytes) {
            throw ServiceException.invalidArgument("", "request of " + body.length
                    + " bytes exceeds the limit of " + maxMessageBytes + " bytes (max_message_bytes)");
        }
        Request request;
        try {
            request = Request.parseFrom(body);
        } catch (InvalidProtocolBufferException e) {
            throw ServiceException.invalidArgument("", "request body is not a syncservice.v1.Request: "
                    + e.getMessage());
        }
        return request;
    }

    /** Refuses fields this server does not know, anywhere in the request. */
    void checkKnownFields(Request request) {
        checkEnvelopeUnknownFields(request.getUnknownFields());
        checkUnknownFields(request, "");
    }

    private static void checkEnvelopeUnknownFields(UnknownFieldSet unknown) {
        for (int number : unknown.asMap().keySet()) {
            if (number >= FIRST_OPERATION_FIELD && number <= LAST_OPERATION_FIELD) {
                throw ServiceException.unimplemented(
                        "operation field " + number + " is not known to this server (protocol v1)");
            }
        }
    }

    private void checkUnknownFields(Message message, String path) {
        UnknownFieldSet unknown = message.getUnknownFields();
        if (!unknown.asMap().isEmpty()) {
            int number = unknown.asMap().keySet().iterator().next();
            String where = path.isEmpty() ? message.getDescriptorForType().getName() : path;
            throw ServiceException.invalidArgument(path, "unknown field number " + number + " in " + where);
        }
        MessageFields fields = messageFieldsOf(message);
        for (FieldDescriptor field : fields.outsideOneofs()) {
            if (field.isRepeated()) {
                int count = message.getRepeatedFieldCount(field);
                for (int i = 0; i < count; i++) {
                    checkUnknownFields((Message) message.getRepeatedField(field, i), pathTo(path, field) + "[" + i + "]");
                }
            } else if (message.hasField(field)) {
                checkUnknownFields((Message) message.getField(field), pathTo(path, field));
            }
        }
        // One look per oneof at the field it holds, not one per field it could hold: the envelope's
        // operations are a oneof of dozens of messages.
        for (OneofDescriptor oneof : fields.oneofs()) {
            FieldDescriptor held = message.getOneofFieldDescriptor(oneof);
            if (held != null && held.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
                checkUnknownFields((Message) message.getField(held), pathTo(path, held));
            }
        }
    }

    private static String pathTo(String path, FieldDescriptor field) {
        return path.isEmpty() ? field.getName() : path + "." + field.getName();
    }

    /** The fields of a message type that can hold messages, the only ones that can hide unknown fields. */
    private record MessageFields(List<FieldDescriptor> outsideOneofs, List<OneofDescriptor> oneofs) {
    }

    private MessageFields messageFieldsOf(Message message) {
        return messageFields.computeIfAbsent(message.getDescriptorForType(), type -> new MessageFields(
                type.getFields().stream().filter(f -> f.getJavaType() == FieldDescriptor.JavaType.MESSAGE
                        && !f.isMapField() && f.getRealContainingOneof() == null).toList(),
                type.getRealOneofs().stream().filter(oneof -> oneof.getFields().stream()
                        .anyMatch(f -> f.getJavaType() == FieldDescriptor.JavaType.MESSAGE)).toList()));
    }
}

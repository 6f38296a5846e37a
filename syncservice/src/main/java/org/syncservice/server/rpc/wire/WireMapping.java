package org.syncservice.server.rpc.wire;

import java.util.UUID;
import org.syncservice.protocol.v1.AccountInfo;
import org.syncservice.protocol.v1.Device;
import org.syncservice.protocol.v1.StorageBackend;
import org.syncservice.protocol.v1.StorageLocation;
import org.syncservice.protocol.v1.Workspace;
import org.syncservice.server.account.Account;
import org.syncservice.server.account.DeviceInfo;
import org.syncservice.server.auth.BrokerToken;
import org.syncservice.server.config.StorageConfig;
import org.syncservice.server.core.ServiceException;
import org.syncservice.server.workspace.WorkspaceView;

/** Domain values to wire messages and wire ids to domain values, for the handlers. Stateless. */
public final class WireMapping {

    private WireMapping() {
    }

    /** Parses an id field; a malformed one is INVALID_ARGUMENT naming the field. */
    public static UUID uuid(String field, String value) {
        try {
            if (value.length() == 36) {
                return UUID.fromString(value);
            }
        } catch (IllegalArgumentException e) {
            // answered below
        }
        throw ServiceException.invalidArgument(field, field + " is not a UUID");
    }

    public static org.syncservice.protocol.v1.BrokerToken brokerToken(BrokerToken token) {
        return org.syncservice.protocol.v1.BrokerToken.newBuilder()
                .setToken(token.value())
                .setExpiresAtMs(token.expiresAt().toEpochMilli())
                .setValidForMs(token.validFor().toMillis())
                .setBrokerUser(token.brokerUser())
                .build();
    }

    public static AccountInfo account(Account account) {
        return AccountInfo.newBuilder()
                .setUserId(account.userId().toString())
                .setName(account.name())
                .setEmail(account.email())
                .setQuotaLimitBytes(account.quotaLimitBytes())
                .setQuotaUsedBytes(account.quotaUsedBytes())
                .build();
    }

    public static Device device(DeviceInfo device, UUID callerDevice) {
        Device.Builder wire = Device.newBuilder()
                .setDeviceId(device.deviceId().toString())
                .setName(device.name())
                .setOs(device.os())
                .setAppVersion(device.appVersion())
                .setLastIp(device.lastIp().orElse(""))
                .setRegisteredAtMs(device.registeredAt().toEpochMilli())
                .setCurrent(device.deviceId().equals(callerDevice));
        device.lastSeenAt().ifPresent(seen -> wire.setLastSeenMs(seen.toEpochMilli()));
        return wire.build();
    }

    public static Workspace workspace(WorkspaceView view) {
        return Workspace.newBuilder()
                .setWorkspaceId(view.workspaceId().toString())
                .setName(view.name())
                .setMountPoint(view.mountPoint())
                .setOwnerUserId(view.ownerId().toString())
                .setOwnerName(view.ownerName())
                .setRole(SharingMapping.role(view.role()))
                .setShared(view.shared())
                .setEncrypted(view.encrypted())
                .setStorage(StorageLocation.newBuilder()
                        .setBackend(backend(view.storage().backend()))
                        .setContainer(view.storage().container())
                        .setPrefix(view.storage().prefix()))
                .setLatestChangeSeq(view.latestChangeSeq())
                .build();
    }

    public static StorageBackend backend(StorageConfig.Backend backend) {
        return switch (backend) {
            case S3 -> StorageBackend.STORAGE_BACKEND_S3;
            case SWIFT -> StorageBackend.STORAGE_BACKEND_SWIFT;
            case FTP -> StorageBackend.STORAGE_BACKEND_FTP;
        };
    }
}

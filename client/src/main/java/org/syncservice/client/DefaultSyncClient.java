package org.syncservice.client;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import java.util.function.Function;
import org.syncservice.protocol.v1.AcknowledgeChangesRequest;
import org.syncservice.protocol.v1.AcknowledgeChangesResponse;
import org.syncservice.protocol.v1.BrokerToken;
import org.syncservice.protocol.v1.ChangeMemberRoleRequest;
import org.syncservice.protocol.v1.ChangeMemberRoleResponse;
import org.syncservice.protocol.v1.CreateGroupRequest;
import org.syncservice.protocol.v1.CreateGroupResponse;
import org.syncservice.protocol.v1.AddGroupMemberRequest;
import org.syncservice.protocol.v1.AddGroupMemberResponse;
import org.syncservice.protocol.v1.RemoveGroupMemberRequest;
import org.syncservice.protocol.v1.RemoveGroupMemberResponse;
import org.syncservice.protocol.v1.ListGroupsRequest;
import org.syncservice.protocol.v1.ListGroupsResponse;
import org.syncservice.protocol.v1.DeleteGroupRequest;
import org.syncservice.protocol.v1.DeleteGroupResponse;
import org.syncservice.protocol.v1.ChangePasswordRequest;
import org.syncservice.protocol.v1.ChangePasswordResponse;
import org.syncservice.protocol.v1.CommitRequest;
import org.syncservice.protocol.v1.CommitResponse;
import org.syncservice.protocol.v1.ErrorCode;
import org.syncservice.protocol.v1.GetAccountInfoRequest;
import org.syncservice.protocol.v1.GetAccountInfoResponse;
import org.syncservice.protocol.v1.GetChangesRequest;
import org.syncservice.protocol.v1.GetChangesResponse;
import org.syncservice.protocol.v1.GetMissingChunksRequest;
import org.syncservice.protocol.v1.GetMissingChunksResponse;
import org.syncservice.protocol.v1.GetServerInfoRequest;
import org.syncservice.protocol.v1.GetServerInfoResponse;
import org.syncservice.protocol.v1.GetStorageUrlsRequest;
import org.syncservice.protocol.v1.GetStorageUrlsResponse;
import org.syncservice.protocol.v1.GetWorkspaceDigestRequest;
import org.syncservice.protocol.v1.GetWorkspaceDigestResponse;
import org.syncservice.protocol.v1.ListDevicesRequest;
import org.syncservice.protocol.v1.ListDevicesResponse;
import org.syncservice.protocol.v1.ListItemVersionsRequest;
import org.syncservice.protocol.v1.ListItemVersionsResponse;
import org.syncservice.protocol.v1.ListMembersRequest;
import org.syncservice.protocol.v1.ListMembersResponse;
import org.syncservice.protocol.v1.ListWorkspacesRequest;
import org.syncservice.protocol.v1.ListWorkspacesResponse;
import org.syncservice.protocol.v1.LockItemRequest;
import org.syncservice.protocol.v1.LockItemResponse;
import org.syncservice.protocol.v1.LoginRequest;
import org.syncservice.protocol.v1.LoginResponse;
import org.syncservice.protocol.v1.RefreshBrokerTokenRequest;
import org.syncservice.protocol.v1.RefreshBrokerTokenResponse;
import org.syncservice.protocol.v1.Request;
import org.syncservice.protocol.v1.Response;
import org.syncservice.protocol.v1.RestoreVersionRequest;
import org.syncservice.protocol.v1.RestoreVersionResponse;
import org.syncservice.protocol.v1.ShareFolderRequest;
import org.syncservice.protocol.v1.ShareFolderResponse;
import org.syncservice.protocol.v1.SubscribeNotificationsRequest;
import org.syncservice.protocol.v1.SubscribeNotificationsResponse;
import org.syncservice.protocol.v1.UnlockItemRequest;
import org.syncservice.protocol.v1.UnlockItemResponse;
import org.syncservice.protocol.v1.UnregisterDeviceRequest;
import org.syncservice.protocol.v1.UnregisterDeviceResponse;
import org.syncservice.protocol.v1.UnshareFolderRequest;
import org.syncservice.protocol.v1.UnshareFolderResponse;
import org.syncservice.protocol.v1.UpdateDeviceRequest;
import org.syncservice.protocol.v1.UpdateDeviceResponse;
import org.syncservice.protocol.v1.UpdateWorkspaceRequest;
import org.syncservice.protocol.v1.UpdateWorkspaceResponse;

/**
 * {@link SyncClient} over an {@link RpcClient}: builds the envelope, waits for the reply and turns
 * errors into {@link SyncServiceException}. Thread-safe; the token is a volatile field shared by all
 * callers.
 */
final class DefaultSyncClient implements SyncClient {

    private static final int MAX_REQUEST_ID_LENGTH = 64;

    private final RpcClient rpc;
    private final Duration callTimeout;
    private volatile String token;

    DefaultSyncClient(RpcClient rpc, Duration callTimeout) {
        this.rpc = rpc;
        this.callTimeout = callTimeout;
    }

    @Override
    public void setToken(String token) {
        this.token = token == null || token.isEmpty() ? null : token;
    }

    @Override
    public Optional<String> token() {
        return Optional.ofNullable(token);
    }

    @Override
    public GetServerInfoResponse getServerInfo(GetServerInfoRequest request, String requestId) {
        return invoke(requestId, b -> b.setGetServerInfo(request), true, Response::getGetServerInfo);
    }

    @Override
    public LoginResponse login(LoginRequest request, String requestId) {
        // Login establishes the credential, so an old token is deliberately not sent with it.
        LoginResponse response = invoke(requestId, b -> b.setLogin(request), false, Response::getLogin);
        token = response.getToken().isEmpty() ? null : response.getToken();
        if (rpc instanceof BrokerIdentities identities && response.hasBrokerToken()) {
            identities.becomeDevice(response.getBrokerToken(), () -> freshBrokerToken(identities));
        }
        return response;
    }

    @Override
    public UpdateDeviceResponse updateDevice(UpdateDeviceRequest request, String requestId) {
        return invoke(requestId, b -> b.setUpdateDevice(request), true, Response::getUpdateDevice);
    }

    @Override
    public ChangePasswordResponse changePassword(ChangePasswordRequest request, String requestId) {
        return invoke(requestId, b -> b.setChangePassword(request), true, Response::getChangePassword);
    }

    @Override
    public UnregisterDeviceResponse unregisterDevice(UnregisterDeviceRequest request, String requestId) {
        return invoke(requestId, b -> b.setUnregisterDevice(request), true, Response::getUnregisterDevice);
    }

    @Override
    public ListDevicesResponse listDevices(ListDevicesRequest request, String requestId) {
        return invoke(requestId, b -> b.setListDevices(request), true, Response::getListDevices);
    }

    @Override
    public GetAccountInfoResponse getAccountInfo(GetAccountInfoRequest request, String requestId) {
        return invoke(requestId, b -> b.setGetAccountInfo(request), true, Response::getGetAccountInfo);
    }

    @Override
    public ListWorkspacesResponse listWorkspaces(ListWorkspacesRequest request, String requestId) {
        return invoke(requestId, b -> b.setListWorkspaces(request), true, Response::getListWorkspaces);
    }

    @Override
    public UpdateWorkspaceResponse updateWorkspace(UpdateWorkspaceRequest request, String requestId) {
        return invoke(requestId, b -> b.setUpdateWorkspace(request), true, Response::getUpdateWorkspace);
    }

    @Override
    public GetChangesResponse getChanges(GetChangesRequest request, String requestId) {
        return invoke(requestId, b -> b.setGetChanges(request), true, Response::getGetChanges);
    }

    @Override
    public CommitResponse commit(CommitRequest request, String requestId) {
        return invoke(requestId, b -> b.setCommit(request), true, Response::getCommit);
    }

    @Override
    public AcknowledgeChangesResponse acknowledgeChanges(AcknowledgeChangesRequest request, String requestId) {
        return invoke(requestId, b -> b.setAcknowledgeChanges(request), true, Response::getAcknowledgeChanges);
    }

    @Override
    public ListItemVersionsResponse listItemVersions(ListItemVersionsRequest request, String requestId) {
        return invoke(requestId, b -> b.setListItemVersions(request), true, Response::getListItemVersions);
    }

    @Override
    public RestoreVersionResponse restoreVersion(RestoreVersionRequest request, String requestId) {
        return invoke(requestId, b -> b.setRestoreVersion(request), true, Response::getRestoreVersion);
    }

    @Override
    public ShareFolderResponse shareFolder(ShareFolderRequest request, String requestId) {
        return invoke(requestId, b -> b.setShareFolder(request), true, Response::getShareFolder);
    }

    @Override
    public UnshareFolderResponse unshareFolder(UnshareFolderRequest request, String requestId) {
        return invoke(requestId, b -> b.setUnshareFolder(request), true, Response::getUnshareFolder);
    }

    @Override
    public ListMembersResponse listMembers(ListMembersRequest request, String requestId) {
        return invoke(requestId, b -> b.setListMembers(request), true, Response::getListMembers);
    }

    @Override
    public ChangeMemberRoleResponse changeMemberRole(ChangeMemberRoleRequest request, String requestId) {
        return invoke(requestId, b -> b.setChangeMemberRole(request), true, Response::getChangeMemberRole);
    }

    @Override
    public CreateGroupResponse createGroup(CreateGroupRequest request, String requestId) {
        return invoke(requestId, b -> b.setCreateGroup(request), true, Response::getCreateGroup);
    }

    @Override
    public AddGroupMemberResponse addGroupMember(AddGroupMemberRequest request, String requestId) {
        return invoke(requestId, b -> b.setAddGroupMember(request), true, Response::getAddGroupMember);
    }

    @Override
    public RemoveGroupMemberResponse removeGroupMember(RemoveGroupMemberRequest request, String requestId) {
        return invoke(requestId, b -> b.setRemoveGroupMember(request), true, Response::getRemoveGroupMember);
    }

    @Override
    public ListGroupsResponse listGroups(ListGroupsRequest request, String requestId) {
        return invoke(requestId, b -> b.setListGroups(request), true, Response::getListGroups);
    }

    @Override
    public DeleteGroupResponse deleteGroup(DeleteGroupRequest request, String requestId) {
        return invoke(requestId, b -> b.setDeleteGroup(request), true, Response::getDeleteGroup);
    }

    @Override
    public GetStorageUrlsResponse getStorageUrls(GetStorageUrlsRequest request, String requestId) {
        return invoke(requestId, b -> b.setGetStorageUrls(request), true, Response::getGetStorageUrls);
    }

    @Override
    public GetMissingChunksResponse getMissingChunks(GetMissingChunksRequest request, String requestId) {
        return invoke(requestId, b -> b.setGetMissingChunks(request), true, Response::getGetMissingChunks);
    }

    @Override
    public SubscribeNotificationsResponse subscribeNotifications(SubscribeNotificationsRequest request, String requestId) {
        return invoke(requestId, b -> b.setSubscribeNotifications(request), true, Response::getSubscribeNotifications);
    }

    @Override
    public GetWorkspaceDigestResponse getWorkspaceDigest(GetWorkspaceDigestRequest request, String requestId) {
        return invoke(requestId, b -> b.setGetWorkspaceDigest(request), true, Response::getGetWorkspaceDigest);
    }

    @Override
    public LockItemResponse lockItem(LockItemRequest request, String requestId) {
        return invoke(requestId, b -> b.setLockItem(request), true, Response::getLockItem);
    }

    @Override
    public UnlockItemResponse unlockItem(UnlockItemRequest request, String requestId) {
        return invoke(requestId, b -> b.setUnlockItem(request), true, Response::getUnlockItem);
    }

    @Override
    public RefreshBrokerTokenResponse refreshBrokerToken(RefreshBrokerTokenRequest request, String requestId) {
        return invoke(requestId, b -> b.setRefreshBrokerToken(request), true, Response::getRefreshBrokerToken);
    }

    /**
     * What refreshes the device's broker token: over the device's connection, or, when that cannot
     * publish any more (its token expired while it was down), as the login-only user. A refusal of
     * the device token itself means the device was revoked.
     */
    private BrokerToken freshBrokerToken(BrokerIdentities identities) {
        try {
            try {
                return refreshBrokerToken().getBrokerToken();
            } catch (SyncServiceException e) {
                if (e.code() == ErrorCode.ERROR_CODE_UNAUTHENTICATED) {
                    throw e;
                }
                return identities.refreshAsLoginUser(token);
            }
        } catch (SyncServiceException e) {
            if (e.code() == ErrorCode.ERROR_CODE_UNAUTHENTICATED) {
                identities.revoked();
            }
            throw e;
        }
    }

    /**
     * A device that kept its device token starts as the login-only user too: its first call that
     * needs the token gets its broker token first (refresh_broker_token, which the login user may
     * call with a device token) and switches to it.
     */
    private void switchToDeviceIdentity(Request.OperationCase operation) {
        if (rpc instanceof BrokerIdentities identities && !identities.onDeviceIdentity()
                && operation != Request.OperationCase.REFRESH_BROKER_TOKEN && token != null) {
            identities.becomeDevice(refreshBrokerToken().getBrokerToken(), () -> freshBrokerToken(identities));
        }
    }

    private <T> T invoke(String requestId, Consumer<Request.Builder> operation, boolean withToken,
            Function<Response, T> result) {
        if (requestId == null || requestId.isEmpty() || requestId.length() > MAX_REQUEST_ID_LENGTH) {
            throw new IllegalArgumentException("requestId: expected 1 to " + MAX_REQUEST_ID_LENGTH
                    + " characters, got " + (requestId == null ? "null" : requestId.length()));
        }
        Request.Builder builder = Request.newBuilder().setRequestId(requestId);
        operation.accept(builder);
        if (withToken) {
            switchToDeviceIdentity(builder.getOperationCase());
        }
        String currentToken = token;
        if (withToken && currentToken != null) {
            builder.setToken(currentToken);
        }
        Request request = builder.build();
        Response response = await(rpc.call(request, callTimeout));
        if (response.getResultCase() == Response.ResultCase.ERROR) {
            throw SyncServiceException.fromError(response.getError());
        }
        // The protocol gives each operation's request and result the same field number.
        if (response.getResultCase().getNumber() != request.getOperationCase().getNumber()) {
            throw SyncServiceException.local(ErrorCode.ERROR_CODE_INTERNAL, "unexpected response: "
                    + response.getResultCase() + " to a " + request.getOperationCase() + " request", null);
        }
        return result.apply(response);
    }

    private static Response await(CompletableFuture<Response> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            future.cancel(false);
            Thread.currentThread().interrupt();
            throw SyncServiceException.local(ErrorCode.ERROR_CODE_UNAVAILABLE,
                    "interrupted while waiting for the reply", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SyncServiceException sse) {
                // Created on a client thread: record where the caller waited, for debugging.
                sse.addSuppressed(new Exception("awaited here"));
                throw sse;
            }
            throw SyncServiceException.local(ErrorCode.ERROR_CODE_INTERNAL, "the call failed", e.getCause());
        } catch (CancellationException e) {
            throw SyncServiceException.local(ErrorCode.ERROR_CODE_UNAVAILABLE, "the call was cancelled", e);
        }
    }

    /** The device's own broker identity, once the client switched to it; for its notification connection. */
    Optional<BrokerLogin> deviceBrokerLogin() {
        return rpc instanceof BrokerIdentities identities ? identities.deviceLogin() : Optional.empty();
    }

    @Override
    public void close() {
        rpc.close();
    }
}

package org.syncservice.client;

import java.util.Optional;
import java.util.UUID;
import org.syncservice.protocol.v1.AcknowledgeChangesRequest;
import org.syncservice.protocol.v1.AcknowledgeChangesResponse;
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
 * The syncservice API for applications: one blocking method per operation of
 * {@code syncservice.v1}, each returning the operation's typed response.
 *
 * <p>Every call fills the request envelope: {@code request_id} (a random UUID, or the id passed to
 * the overload that takes one, to retry a call safely), {@code deadline_ms} (now + the configured
 * call timeout) and {@code token} (the one stored by {@link #login(LoginRequest)} or
 * {@link #setToken(String)}; login itself is sent without one).
 *
 * <p>Failures are reported as the unchecked {@link SyncServiceException}: an {@code Error} answered
 * by the service with its code, message, retry-after and field; {@code DEADLINE_EXCEEDED} when no
 * reply arrived within the call timeout; {@code UNAVAILABLE} when the broker or the service cannot be
 * reached or the connection dropped during the call; {@code INTERNAL} when the answer is not the
 * operation's ("unexpected response"). After a local DEADLINE_EXCEEDED or UNAVAILABLE, and after the
 * service's UNAVAILABLE with {@link SyncServiceException#isOutcomeUnknown()}, the outcome is unknown:
 * retry with the same request id, never under a new one. The service's UNAVAILABLE otherwise stored
 * nothing.
 *
 * <p>Thread-safe: many threads may call at once over the client's single connection. The stored
 * token is shared by all of them, so use one client per device identity.
 */
public interface SyncClient extends AutoCloseable {

    /**
     * Connects to the broker described by the options.
     *
     * @param options where and how to connect, and the call timeout
     * @return a connected client; close it when done
     * @throws SyncServiceException with code UNAVAILABLE when the broker cannot be reached
     */
    static SyncClient connect(SyncClientOptions options) {
        return new DefaultSyncClient(BrokerIdentities.connect(options), options.callTimeout());
    }

    /** Returns a fresh random request id (a UUID), as the methods without one use. */
    static String newRequestId() {
        return UUID.randomUUID().toString();
    }

    /**
     * Sets the device token sent with later calls, for example one saved from an earlier login.
     *
     * @param token the token, or null to send none
     */
    void setToken(String token);

    /** The device token sent with calls, if any. */
    Optional<String> token();

    /**
     * Sets the device token and returns this client, for fluent set-up.
     *
     * @param token the token, or null to send none
     * @return this client
     */
    default SyncClient withToken(String token) {
        setToken(token);
        return this;
    }

    /**
     * Returns the server's version, supported operations, limits and notification exchange. Needs no token.
     *
     * @return the service's answer
     * @throws SyncServiceException when the call fails; see the type's documentation
     */
    default GetServerInfoResponse getServerInfo() {
        return getServerInfo(GetServerInfoRequest.getDefaultInstance(), newRequestId());
    }

    /**
     * Returns the server's version, supported operations, limits and notification exchange. Needs no token.
     *
     * @param request the operation's arguments
     * @return the service's answer
     * @throws SyncServiceException when the call fails; see the type's documentation
     */
    default GetServerInfoResponse getServerInfo(GetServerInfoRequest request) {
        return getServerInfo(request, newRequestId());
    }

    /**
     * As {@link #getServerInfo(GetServerInfoRequest)}, with a request id chosen by the caller: a retry with the same
     * id is answered from the service's stored reply and never applied twice.
     *
     * @param request the operation's arguments
     * @param requestId the request id, 1 to 64 characters
     * @return the service's answer
     * @throws SyncServiceException when the call fails; see the type's documentation
     */
    GetServerInfoResponse getServerInfo(GetServerInfoRequest request, String requestId);

    /**
     * Logs in with e-mail and password and registers (or re-identifies) the device; the returned token is stored in this client and sent with every later call.
     *
     * @param request the operation's arguments
     * @return the service's answer
     * @throws SyncServiceException when the call fails; see the type's documentation
     */
    default LoginResponse login(LoginRequest request) {
        return login(request, newRequestId());
    }

    /**
     * As {@link #login(LoginRequest)}, with a request id chosen by the caller: a retry with the same
     * id is answered from the service's stored reply and never applied twice.
     *
     * @param request the operation's arguments
     * @param requestId the request id, 1 to 64 characters
     * @return the service's answer
     * @throws SyncServiceException when the call fails; see the type's documentation
     */
    LoginResponse login(LoginRequest request, String requestId);

    /**
     * Renames the current device or updates its OS / app version.
     *
     * @param request the operation's arguments
     * @return the service's answer
     * @throws SyncServiceException when the call fails; see the type's documentation
     */
    default UpdateDeviceResponse updateDevice(UpdateDeviceRequest request) {
        return updateDevice(request, newRequestId());
    }

    /**
     * As {@link #updateDevice(UpdateDeviceRequest)}, with a request id chosen by the caller: a retry with the same
     * id is answered from the service's stored reply and never applied twice.
     *
     * @param request the operation's arguments
     * @param requestId the request id, 1 to 64 characters
     * @return the service's answer
     * @throws SyncServiceException when the call fails; see the type's documentation
     */
    UpdateDeviceResponse updateDevice(UpdateDeviceRequest request, String requestId);

    /**
     * Sets a new password for the current user, who gives the current one; by default the user's
     * other devices are signed out (they log in again with the new password).
     *
     * @param request the operation's arguments
     * @return the service's answer
     * @throws SyncServiceException when the call fails; see the type's documentation
     */
    default ChangePasswordResponse changePassword(ChangePasswordRequest request) {
        return changePassword(request, newRequestId());
    }

    /**
     * As {@link #changePassword(ChangePasswordRequest)}, with a request id chosen by the caller: a retry
     * after a lost answer finds the new password set and succeeds.
     *
     * @param request the operation's arguments
     * @param requestId the request id, 1 to 64 characters
     * @return the service's answer
     * @throws SyncServiceException when the call fails; see the type's documentation
     */
    ChangePasswordResponse changePassword(ChangePasswordRequest request, String requestId);

    /**
     * Returns a fresh broker token for this device (protocol.md 7.22), where the server hands them
     * out. The client refreshes its own connections' token by itself; this is for an application
     * that opens broker connections of its own. Refused once the device is revoked.
     *
     * @return the service's answer
     * @throws SyncServiceException when the call fails; see the type's documentation
     */
    default RefreshBrokerTokenResponse refreshBrokerToken() {
        return refreshBrokerToken(RefreshBrokerTokenRequest.getDefaultInstance(), newRequestId());
    }

    /**
     * As {@link #refreshBrokerToken()}, with a request id chosen by the caller.
     *
     * @param request the operation's arguments
     * @param requestId the request id, 1 to 64 characters
     * @return the service's answer
     * @throws SyncServiceException when the call fails; see the type's documentation
     */
    RefreshBrokerTokenResponse refreshBrokerToken(RefreshBrokerTokenRequest request, String requestId);

    /**
     * Unregisters a device of the current user (empty id: this device); its token stops working.
     *
     * @param request the operation's arguments
     * @return the service's answer
     * @throws SyncServiceException when the call fails; see the type's documentation
     */
    default UnregisterDeviceResponse unregisterDevice(UnregisterDeviceRequest request) {
        return unregisterDevice(request, newRequestId());
    }

    /**
     * As {@link #unregisterDevice(UnregisterDeviceRequest)}, with a request id chosen by the caller: a retry with the same
     * id is answered from the service's stored reply and never applied twice.
     *
     * @param request the operation's arguments
     * @param requestId the request id, 1 to 64 characters
     * @return the service's answer
     * @throws SyncServiceException when the call fails; see the type's documentation
     */
    UnregisterDeviceResponse unregisterDevice(UnregisterDeviceRequest request, String requestId);

    /**
     * Lists the current user's devices.
     *
     * @return the service's answer
     * @throws SyncServiceException when the call fails; see the type's documentation
     */
    default ListDevicesResponse listDevices() {
        return listDevices(ListDevicesRequest.getDefaultInstance(), newRequestId());
    }

    /**
     * Lists the current user's devices.
     *
     * @param request the operation's arguments
     * @return the service's answer
     * @throws SyncServiceException when the call fails; see the type's documentation
     */
    default ListDevicesResponse listDevices(ListDevicesRequest request) {
        return listDevices(request, newRequestId());
    }

    /**
     * As {@link #listDevices(ListDevicesRequest)}, with a request id chosen by the caller: a retry with the same
     * id is answered from the service's stored reply and never applied twice.
     *
     * @param request the operation's arguments
     * @param requestId the request id, 1 to 64 characters
     * @return the service's answer
     * @throws SyncServiceException when the call fails; see the type's documentation
     */
    ListDevicesResponse listDevices(ListDevicesRequest request, String requestId);

    /**
     * Returns the current user's account: name, e-mail, quota limit and usage.
     *
     * @return the service's answer
     * @throws SyncServiceException when the call fails; see the type's documentation
     */
    default GetAccountInfoResponse getAccountInfo() {
        return getAccountInfo(GetAccountInfoRequest.getDefaultInstance(), newRequestId());
    }

    /**
     * Returns the current user's account: name, e-mail, quota limit and usage.
     *
     * @param request the operation's arguments
     * @return the service's answer
     * @throws SyncServiceException when the call fails; see the type's documentation
     */
    default GetAccountInfoResponse getAccountInfo(GetAccountInfoRequest request) {
        return getAccountInfo(request, newRequestId());
    }

    /**
     * As {@link #getAccountInfo(GetAccountInfoRequest)}, with a request id chosen by the caller: a retry with the same
     * id is answered from the service's stored reply and never applied twice.
     *
     * @param request the operation's arguments
     * @param requestId the request id, 1 to 64 characters
     * @return the service's answer
     * @throws SyncServiceException when the call fails; see the type's documentation
     */
    GetAccountInfoResponse getAccountInfo(GetAccountInfoRequest request, String requestId);

    /**
     * Lists the workspaces the current user can see, with their latest change sequence.
     *
     * @return the service's answer
     * @throws SyncServiceException when the call fails; see the type's documentation
     */
    default ListWorkspacesResponse listWorkspaces() {
        return listWorkspaces(ListWorkspacesRequest.getDefaultInstance(), newRequestId());
    }

    /**
     * Lists the workspaces the current user can see, with their latest change sequence.
     *
     * @param request the operation's arguments
     * @return the service's answer
     * @throws SyncServiceException when the call fails; see the type's documentation
     */
    default ListWorkspacesResponse listWorkspaces(ListWorkspacesRequest request) {
        return listWorkspaces(request, newRequestId());
    }

    /**
     * As {@link #listWorkspaces(ListWorkspacesRequest)}, with a request id chosen by the caller: a retry with the same
     * id is answered from the service's stored reply and never applied twice.
     *
     * @param request the operation's arguments
     * @param requestId the request id, 1 to 64 characters
     * @return the service's answer
     * @throws SyncServiceException when the call fails; see the type's documentation
     */
    ListWorkspacesResponse listWorkspaces(ListWorkspacesRequest request, String requestId);

    /**
     * Changes the current user's own name or mount point of a workspace.
     *
     * @param request the operation's arguments
     * @return the service's answer
     * @throws SyncServiceException when the call fails; see the type's documentation
     */
    default UpdateWorkspaceResponse updateWorkspace(UpdateWorkspaceRequest request) {
        return updateWorkspace(request, newRequestId());
    }

    /**
     * As {@link #updateWorkspace(UpdateWorkspaceRequest)}, with a request id chosen by the caller: a retry with the same
     * id is answered from the service's stored reply and never applied twice.
     *
     * @param request the operation's arguments
     * @param requestId the request id, 1 to 64 characters
     * @return the service's answer
     * @throws SyncServiceException when the call fails; see the type's documentation
     */
    UpdateWorkspaceResponse updateWorkspace(UpdateWorkspaceRequest request, String requestId);

    /**
     * Returns one page of the changes of a workspace since a cursor (an empty cursor lists everything).
     *
     * @param request the operation's arguments
     * @return the service's answer
     * @throws SyncServiceException when the call fails; see the type's documentation
     */
    default GetChangesResponse getChanges(GetChangesRequest request) {
        return getChanges(request, newRequestId());
    }

    /**
     * As {@link #getChanges(GetChangesRequest)}, with a request id chosen by the caller: a retry with the same
     * id is answered from the service's stored reply and never applied twice.
     *
     * @param request the operation's arguments
     * @param requestId the request id, 1 to 64 characters
     * @return the service's answer
     * @throws SyncServiceException when the call fails; see the type's documentation
     */
    GetChangesResponse getChanges(GetChangesRequest request, String requestId);

    /**
     * Commits new versions of one or more items of a workspace; the answer reports every item.
     *
     * @param request the operation's arguments
     * @return the service's answer
     * @throws SyncServiceException when the call fails; see the type's documentation
     */
    default CommitResponse commit(CommitRequest request) {
        return commit(request, newRequestId());
    }

    /**
     * As {@link #commit(CommitRequest)}, with a request id chosen by the caller: a retry with the same
     * id is answered from the service's stored reply and never applied twice.
     *
     * @param request the operation's arguments
     * @param requestId the request id, 1 to 64 characters
     * @return the service's answer
     * @throws SyncServiceException when the call fails; see the type's documentation
     */
    CommitResponse commit(CommitRequest request, String requestId);

    /**
     * Records how far this device has applied the changes of a workspace.
     *
     * @param request the operation's arguments
     * @return the service's answer
     * @throws SyncServiceException when the call fails; see the type's documentation
     */
    default AcknowledgeChangesResponse acknowledgeChanges(AcknowledgeChangesRequest request) {
        return acknowledgeChanges(request, newRequestId());
    }

    /**
     * As {@link #acknowledgeChanges(AcknowledgeChangesRequest)}, with a request id chosen by the caller: a retry with the same
     * id is answered from the service's stored reply and never applied twice.
     *
     * @param request the operation's arguments
     * @param requestId the request id, 1 to 64 characters
     * @return the service's answer
     * @throws SyncServiceException when the call fails; see the type's documentation
     */
    AcknowledgeChangesResponse acknowledgeChanges(AcknowledgeChangesRequest request, String requestId);

    /**
     * Lists the stored versions of an item.
     *
     * @param request the operation's arguments
     * @return the service's answer
     * @throws SyncServiceException when the call fails; see the type's documentation
     */
    default ListItemVersionsResponse listItemVersions(ListItemVersionsRequest request) {
        return listItemVersions(request, newRequestId());
    }

    /**
     * As {@link #listItemVersions(ListItemVersionsRequest)}, with a request id chosen by the caller: a retry with the same
     * id is answered from the service's stored reply and never applied twice.
     *
     * @param request the operation's arguments
     * @param requestId the request id, 1 to 64 characters
     * @return the service's answer
     * @throws SyncServiceException when the call fails; see the type's documentation
     */
    ListItemVersionsResponse listItemVersions(ListItemVersionsRequest request, String requestId);

    /**
     * Restores an old version of an item as its new latest version.
     *
     * @param request the operation's arguments
     * @return the service's answer
     * @throws SyncServiceException when the call fails; see the type's documentation
     */
    default RestoreVersionResponse restoreVersion(RestoreVersionRequest request) {
        return restoreVersion(request, newRequestId());
    }

    /**
     * As {@link #restoreVersion(RestoreVersionRequest)}, with a request id chosen by the caller: a retry with the same
     * id is answered from the service's stored reply and never applied twice.
     *
     * @param request the operation's arguments
     * @param requestId the request id, 1 to 64 characters
     * @return the service's answer
     * @throws SyncServiceException when the call fails; see the type's documentation
     */
    RestoreVersionResponse restoreVersion(RestoreVersionRequest request, String requestId);

    /**
     * Shares a folder with other users, creating a shared workspace.
     *
     * @param request the operation's arguments
     * @return the service's answer
     * @throws SyncServiceException when the call fails; see the type's documentation
     */
    default ShareFolderResponse shareFolder(ShareFolderRequest request) {
        return shareFolder(request, newRequestId());
    }

    /**
     * As {@link #shareFolder(ShareFolderRequest)}, with a request id chosen by the caller: a retry with the same
     * id is answered from the service's stored reply and never applied twice.
     *
     * @param request the operation's arguments
     * @param requestId the request id, 1 to 64 characters
     * @return the service's answer
     * @throws SyncServiceException when the call fails; see the type's documentation
     */
    ShareFolderResponse shareFolder(ShareFolderRequest request, String requestId);

    /**
     * Removes members from a shared workspace, revoking their access, or leaves it.
     *
     * @param request the operation's arguments
     * @return the service's answer
     * @throws SyncServiceException when the call fails; see the type's documentation
     */
    default UnshareFolderResponse unshareFolder(UnshareFolderRequest request) {
        return unshareFolder(request, newRequestId());
    }

    /**
     * As {@link #unshareFolder(UnshareFolderRequest)}, with a request id chosen by the caller: a retry with the same
     * id is answered from the service's stored reply and never applied twice.
     *
     * @param request the operation's arguments
     * @param requestId the request id, 1 to 64 characters
     * @return the service's answer
     * @throws SyncServiceException when the call fails; see the type's documentation
     */
    UnshareFolderResponse unshareFolder(UnshareFolderRequest request, String requestId);

    /**
     * Lists the members of a workspace.
     *
     * @param request the operation's arguments
     * @return the service's answer
     * @throws SyncServiceException when the call fails; see the type's documentation
     */
    default ListMembersResponse listMembers(ListMembersRequest request) {
        return listMembers(request, newRequestId());
    }

    /**
     * As {@link #listMembers(ListMembersRequest)}, with a request id chosen by the caller: a retry with the same
     * id is answered from the service's stored reply and never applied twice.
     *
     * @param request the operation's arguments
     * @param requestId the request id, 1 to 64 characters
     * @return the service's answer
     * @throws SyncServiceException when the call fails; see the type's documentation
     */
    ListMembersResponse listMembers(ListMembersRequest request, String requestId);

    /**
     * Makes a member of a shared workspace a writer or a reader (the owner only).
     *
     * @param request the operation's arguments
     * @return the service's answer
     * @throws SyncServiceException when the call fails; see the type's documentation
     */
    default ChangeMemberRoleResponse changeMemberRole(ChangeMemberRoleRequest request) {
        return changeMemberRole(request, newRequestId());
    }

    /**
     * As {@link #changeMemberRole(ChangeMemberRoleRequest)}, with a request id chosen by the caller: setting a
     * role sets a state, so a retry answers alike.
     *
     * @param request the operation's arguments
     * @param requestId the request id, 1 to 64 characters
     * @return the service's answer
     * @throws SyncServiceException when the call fails; see the type's documentation
     */
    ChangeMemberRoleResponse changeMemberRole(ChangeMemberRoleRequest request, String requestId);

    /**
     * Creates a group of the caller's, or answers the one of that name they have.
     *
     * @param request the operation's arguments
     * @return the service's answer
     * @throws SyncServiceException when the call fails; see the type's documentation
     */
    default CreateGroupResponse createGroup(CreateGroupRequest request) {
        return createGroup(request, newRequestId());
    }

    /**
     * As {@link #createGroup(CreateGroupRequest)}, with a request id chosen by the caller: the operation sets a
     * state, so a retry answers alike (a retried delete_group: NOT_FOUND, the group being gone).
     *
     * @param request the operation's arguments
     * @param requestId the request id, 1 to 64 characters
     * @return the service's answer
     * @throws SyncServiceException when the call fails; see the type's documentation
     */
    CreateGroupResponse createGroup(CreateGroupRequest request, String requestId);

    /**
     * Adds a user to a group of the caller's; they gain the workspaces shared with the group.
     *
     * @param request the operation's arguments
     * @return the service's answer
     * @throws SyncServiceException when the call fails; see the type's documentation
     */
    default AddGroupMemberResponse addGroupMember(AddGroupMemberRequest request) {
        return addGroupMember(request, newRequestId());
    }

    /**
     * As {@link #addGroupMember(AddGroupMemberRequest)}, with a request id chosen by the caller: the operation sets a
     * state, so a retry answers alike (a retried delete_group: NOT_FOUND, the group being gone).
     *
     * @param request the operation's arguments
     * @param requestId the request id, 1 to 64 characters
     * @return the service's answer
     * @throws SyncServiceException when the call fails; see the type's documentation
     */
    AddGroupMemberResponse addGroupMember(AddGroupMemberRequest request, String requestId);

    /**
     * Removes a user from a group of the caller's; they lose the workspaces they held through it alone.
     *
     * @param request the operation's arguments
     * @return the service's answer
     * @throws SyncServiceException when the call fails; see the type's documentation
     */
    default RemoveGroupMemberResponse removeGroupMember(RemoveGroupMemberRequest request) {
        return removeGroupMember(request, newRequestId());
    }

    /**
     * As {@link #removeGroupMember(RemoveGroupMemberRequest)}, with a request id chosen by the caller: the operation sets a
     * state, so a retry answers alike (a retried delete_group: NOT_FOUND, the group being gone).
     *
     * @param request the operation's arguments
     * @param requestId the request id, 1 to 64 characters
     * @return the service's answer
     * @throws SyncServiceException when the call fails; see the type's documentation
     */
    RemoveGroupMemberResponse removeGroupMember(RemoveGroupMemberRequest request, String requestId);

    /**
     * Lists the caller's groups with their members.
     *
     * @param request the operation's arguments
     * @return the service's answer
     * @throws SyncServiceException when the call fails; see the type's documentation
     */
    default ListGroupsResponse listGroups(ListGroupsRequest request) {
        return listGroups(request, newRequestId());
    }

    /**
     * As {@link #listGroups(ListGroupsRequest)}, with a request id chosen by the caller: the operation sets a
     * state, so a retry answers alike (a retried delete_group: NOT_FOUND, the group being gone).
     *
     * @param request the operation's arguments
     * @param requestId the request id, 1 to 64 characters
     * @return the service's answer
     * @throws SyncServiceException when the call fails; see the type's documentation
     */
    ListGroupsResponse listGroups(ListGroupsRequest request, String requestId);

    /**
     * Deletes a group of the caller's; its members lose the workspaces they held through it alone.
     *
     * @param request the operation's arguments
     * @return the service's answer
     * @throws SyncServiceException when the call fails; see the type's documentation
     */
    default DeleteGroupResponse deleteGroup(DeleteGroupRequest request) {
        return deleteGroup(request, newRequestId());
    }

    /**
     * As {@link #deleteGroup(DeleteGroupRequest)}, with a request id chosen by the caller: the operation sets a
     * state, so a retry answers alike (a retried delete_group: NOT_FOUND, the group being gone).
     *
     * @param request the operation's arguments
     * @param requestId the request id, 1 to 64 characters
     * @return the service's answer
     * @throws SyncServiceException when the call fails; see the type's documentation
     */
    DeleteGroupResponse deleteGroup(DeleteGroupRequest request, String requestId);

    /**
     * Returns short-lived signed URLs to read or write chunks of a workspace.
     *
     * @param request the operation's arguments
     * @return the service's answer
     * @throws SyncServiceException when the call fails; see the type's documentation
     */
    default GetStorageUrlsResponse getStorageUrls(GetStorageUrlsRequest request) {
        return getStorageUrls(request, newRequestId());
    }

    /**
     * As {@link #getStorageUrls(GetStorageUrlsRequest)}, with a request id chosen by the caller: a retry with the same
     * id is answered from the service's stored reply and never applied twice.
     *
     * @param request the operation's arguments
     * @param requestId the request id, 1 to 64 characters
     * @return the service's answer
     * @throws SyncServiceException when the call fails; see the type's documentation
     */
    GetStorageUrlsResponse getStorageUrls(GetStorageUrlsRequest request, String requestId);

    /**
     * Returns which of the named chunks the storage of a workspace lacks, in request order and each
     * once, so that only those need uploading. Served on every storage back-end; read-only.
     *
     * @param request the operation's arguments
     * @return the service's answer
     * @throws SyncServiceException when the call fails; see the type's documentation
     */
    default GetMissingChunksResponse getMissingChunks(GetMissingChunksRequest request) {
        return getMissingChunks(request, newRequestId());
    }

    /**
     * As {@link #getMissingChunks(GetMissingChunksRequest)}, with a request id chosen by the caller. The
     * operation is a read: a retry with the same id asks storage again.
     *
     * @param request the operation's arguments
     * @param requestId the request id, 1 to 64 characters
     * @return the service's answer
     * @throws SyncServiceException when the call fails; see the type's documentation
     */
    GetMissingChunksResponse getMissingChunks(GetMissingChunksRequest request, String requestId);

    /**
     * Sets up this device's notification queue and returns where to consume it.
     *
     * @return the service's answer
     * @throws SyncServiceException when the call fails; see the type's documentation
     */
    default SubscribeNotificationsResponse subscribeNotifications() {
        return subscribeNotifications(SubscribeNotificationsRequest.getDefaultInstance(), newRequestId());
    }

    /**
     * Sets up this device's notification queue and returns where to consume it.
     *
     * @param request the operation's arguments
     * @return the service's answer
     * @throws SyncServiceException when the call fails; see the type's documentation
     */
    default SubscribeNotificationsResponse subscribeNotifications(SubscribeNotificationsRequest request) {
        return subscribeNotifications(request, newRequestId());
    }

    /**
     * As {@link #subscribeNotifications(SubscribeNotificationsRequest)}, with a request id chosen by the caller: a retry with the same
     * id is answered from the service's stored reply and never applied twice.
     *
     * @param request the operation's arguments
     * @param requestId the request id, 1 to 64 characters
     * @return the service's answer
     * @throws SyncServiceException when the call fails; see the type's documentation
     */
    SubscribeNotificationsResponse subscribeNotifications(SubscribeNotificationsRequest request, String requestId);

    /** Fails outstanding calls with UNAVAILABLE and closes the connection. Idempotent. */
    @Override
    void close();

    /**
     * Returns the digest of a workspace's live items, its live item count and the change sequence
     * number they are taken at, read in one snapshot, to check a local copy against (see
     * {@link WorkspaceDigests}).
     *
     * @param request the operation's arguments
     * @return the service's answer
     * @throws SyncServiceException when the call fails; see the type's documentation
     */
    default GetWorkspaceDigestResponse getWorkspaceDigest(GetWorkspaceDigestRequest request) {
        return getWorkspaceDigest(request, newRequestId());
    }

    /**
     * As {@link #getWorkspaceDigest(GetWorkspaceDigestRequest)}, with a request id chosen by the caller.
     *
     * @param request the operation's arguments
     * @param requestId the request id, 1 to 64 characters
     * @return the service's answer
     * @throws SyncServiceException when the call fails; see the type's documentation
     */
    GetWorkspaceDigestResponse getWorkspaceDigest(GetWorkspaceDigestRequest request, String requestId);

    /**
     * Locks a file for this device, or renews this device's lock on it: while the lock lasts, a
     * commit of the file by any other device is rejected as LOCKED. A file locked by another device
     * answers CONFLICT, naming the holder.
     *
     * @param request the operation's arguments
     * @return the service's answer: the lock with its expiry
     * @throws SyncServiceException when the call fails; see the type's documentation
     */
    default LockItemResponse lockItem(LockItemRequest request) {
        return lockItem(request, newRequestId());
    }

    /**
     * As {@link #lockItem(LockItemRequest)}, with a request id chosen by the caller.
     *
     * @param request the operation's arguments
     * @param requestId the request id, 1 to 64 characters
     * @return the service's answer
     * @throws SyncServiceException when the call fails; see the type's documentation
     */
    LockItemResponse lockItem(LockItemRequest request, String requestId);

    /**
     * Ends this device's lock on a file, or, called by the workspace's owner, breaks another
     * device's lock.
     *
     * @param request the operation's arguments
     * @return the service's answer
     * @throws SyncServiceException when the call fails; see the type's documentation
     */
    default UnlockItemResponse unlockItem(UnlockItemRequest request) {
        return unlockItem(request, newRequestId());
    }

    /**
     * As {@link #unlockItem(UnlockItemRequest)}, with a request id chosen by the caller.
     *
     * @param request the operation's arguments
     * @param requestId the request id, 1 to 64 characters
     * @return the service's answer
     * @throws SyncServiceException when the call fails; see the type's documentation
     */
    UnlockItemResponse unlockItem(UnlockItemRequest request, String requestId);
}

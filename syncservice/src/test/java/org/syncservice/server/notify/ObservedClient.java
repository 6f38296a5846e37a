package org.syncservice.server.notify;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.syncservice.client.SyncClient;
import org.syncservice.protocol.v1.GetChangesRequest;
import org.syncservice.protocol.v1.GetServerInfoResponse;

/**
 * A real client seen through a window: counts calls by method and get_changes calls per workspace and, when asked,
 * answers get_server_info as a server without notifications would (no subscribe_notifications).
 */
final class ObservedClient {
    final Map<String, AtomicInteger> getChangesCalls = new ConcurrentHashMap<>();
    final Map<String, AtomicInteger> callsByMethod = new ConcurrentHashMap<>();
    final SyncClient client;
    /** Runs before every get_workspace_digest call, for example to commit something first. */
    volatile Runnable beforeDigest = () -> { };

    ObservedClient(SyncClient real, boolean withoutNotifications) {
        this.client = (SyncClient) Proxy.newProxyInstance(SyncClient.class.getClassLoader(),
                new Class<?>[] {SyncClient.class}, (proxy, method, args) -> {
                    callsByMethod.computeIfAbsent(method.getName(), name -> new AtomicInteger()).incrementAndGet();
                    if (args != null && args.length > 0 && args[0] instanceof GetChangesRequest request) {
                        getChangesCalls.computeIfAbsent(request.getWorkspaceId(), ws -> new AtomicInteger()).incrementAndGet();
                    }
                    if (method.getName().equals("getWorkspaceDigest")) {
                        beforeDigest.run();
                    }
                    Object result;
                    try {
                        result = method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                    if (withoutNotifications && result instanceof GetServerInfoResponse info) {
                        GetServerInfoResponse.Builder older = info.toBuilder().clearOperations();
                        info.getOperationsList().stream().filter(op -> !op.equals("subscribe_notifications"))
                                .forEach(older::addOperations);
                        return older.build();
                    }
                    return result;
                });
    }

    int getChangesCalls(String workspaceId) {
        AtomicInteger calls = getChangesCalls.get(workspaceId);
        return calls == null ? 0 : calls.get();
    }

    int calls(String method) {
        AtomicInteger calls = callsByMethod.get(method);
        return calls == null ? 0 : calls.get();
    }
}

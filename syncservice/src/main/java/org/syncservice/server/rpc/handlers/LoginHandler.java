package org.syncservice.server.rpc.handlers;

import java.util.Optional;
import org.syncservice.protocol.v1.LoginRequest;
import org.syncservice.protocol.v1.LoginResponse;
import org.syncservice.protocol.v1.Request;
import org.syncservice.protocol.v1.Response;
import org.syncservice.server.account.AccountService;
import org.syncservice.server.account.LoginAttempt;
import org.syncservice.server.account.LoginResult;
import org.syncservice.server.auth.BrokerTokenService;
import org.syncservice.server.rpc.CallContext;
import org.syncservice.server.rpc.OperationHandler;
import org.syncservice.server.rpc.wire.WireMapping;

/**
 * Serves login: needs no token, issues one, and the device's broker token when the service hands
 * them out. Thread-safe.
 */
public final class LoginHandler implements OperationHandler {
    private final AccountService accounts;
    private final Optional<BrokerTokenService> brokerTokens;

    public LoginHandler(AccountService accounts) {
        this(accounts, Optional.empty());
    }

    public LoginHandler(AccountService accounts, Optional<BrokerTokenService> brokerTokens) {
        this.accounts = accounts;
        this.brokerTokens = brokerTokens;
    }

    @Override
    public Request.OperationCase operation() {
        return Request.OperationCase.LOGIN;
    }

    @Override
    public boolean requiresAuthentication() {
        return false;
    }

    @Override
    public void handle(Request request, CallContext call, Response.Builder response) {
        LoginRequest login = request.getLogin();
        LoginAttempt attempt = new LoginAttempt(login.getEmail(), login.getPassword(),
                login.getDeviceId().isEmpty() ? Optional.empty()
                        : Optional.of(WireMapping.uuid("login.device_id", login.getDeviceId())),
                login.getDeviceName(), login.getOs(), login.getAppVersion(), call.requestId());
        LoginResult result = accounts.login(attempt);
        LoginResponse.Builder answer = LoginResponse.newBuilder()
                .setUserId(result.userId().toString())
                .setDeviceId(result.deviceId().toString())
                .setToken(result.token())
                .setAccount(WireMapping.account(result.account()));
        brokerTokens.ifPresent(tokens ->
                answer.setBrokerToken(WireMapping.brokerToken(tokens.forLoggedInDevice(result.deviceId()))));
        response.setLogin(answer);
    }
}

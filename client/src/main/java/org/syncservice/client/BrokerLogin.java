package org.syncservice.client;

import com.rabbitmq.client.impl.CredentialsProvider;
import com.rabbitmq.client.impl.CredentialsRefreshService;
import com.rabbitmq.client.impl.DefaultCredentialsProvider;
import java.util.Optional;

/**
 * Who a connection logs in to the broker as: a user and password, or a device's broker token
 * that expires and is refreshed on the open connection ({@code connection.update-secret}) by the
 * refresh service. Immutable.
 */
record BrokerLogin(CredentialsProvider credentials, Optional<CredentialsRefreshService> refreshes) {

    static BrokerLogin of(String username, String password) {
        return new BrokerLogin(new DefaultCredentialsProvider(username, password), Optional.empty());
    }
}

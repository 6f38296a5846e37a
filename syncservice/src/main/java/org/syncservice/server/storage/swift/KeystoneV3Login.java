package org.syncservice.server.storage.swift;

import java.io.IOException;
import java.net.URI;
import org.openstack4j.api.OSClient;
import org.openstack4j.api.types.Facing;
import org.openstack4j.model.common.Identifier;
import org.openstack4j.model.identity.v3.Endpoint;
import org.openstack4j.model.identity.v3.Service;
import org.openstack4j.model.identity.v3.Token;
import org.openstack4j.openstack.OSFactory;

/**
 * Keystone v3 password login through openstack4j, scoped to {@code storage.swift.project} in
 * {@code storage.swift.domain}; the storage URL is the public {@code object-store} endpoint of the
 * token's catalog (in {@code storage.swift.region} when set). openstack4j checks TLS certificates
 * with the JDK's trust store (its SSL verification is never disabled here). Thread-safe.
 */
final class KeystoneV3Login implements SwiftLogin {
    private final String authUrl;
    private final String user;
    private final String password;
    private final String project;
    private final String domain;
    private final String region;

    KeystoneV3Login(String authUrl, String user, String password, String project, String domain, String region) {
        this.authUrl = authUrl;
        this.user = user;
        this.password = password;
        this.project = project;
        this.domain = domain;
        this.region = region;
    }

    @Override
    public SwiftSession login() throws IOException {
        OSClient.OSClientV3 client;
        try {
            Identifier domainId = Identifier.byName(domain);
            client = OSFactory.builderV3()
                    .endpoint(authUrl)
                    .credentials(user, password, domainId)
                    .scopeToProject(Identifier.byName(project), domainId)
                    .authenticate();
        } catch (RuntimeException e) {
            // openstack4j reports refused credentials and I/O alike as runtime exceptions.
            throw new IOException("Keystone v3 login as " + user + " at " + authUrl + " failed: " + e.getMessage(), e);
        }
        Token token = client.getToken();
        return new SwiftSession(objectStoreUrl(token), token.getId());
    }

    private URI objectStoreUrl(Token token) throws IOException {
        for (Service service : token.getCatalog()) {
            if (!"object-store".equals(service.getType())) {
                continue;
            }
            for (Endpoint endpoint : service.getEndpoints()) {
                if (endpoint.getIface() == Facing.PUBLIC
                        && (region.isEmpty() || region.equals(endpoint.getRegion()))) {
                    return URI.create(endpoint.getUrl().toString());
                }
            }
        }
        throw new IOException("the Keystone catalog has no public object-store endpoint"
                + (region.isEmpty() ? "" : " in region " + region));
    }
}

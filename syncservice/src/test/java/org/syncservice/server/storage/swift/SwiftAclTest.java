package org.syncservice.server.storage.swift;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SwiftAclTest {

    @Test
    void withAddsTheIdentityOnce() {
        assertThat(SwiftAcl.with("", "a:b")).isEqualTo("a:b");
        assertThat(SwiftAcl.with(".r:*, a:b", "a:b")).isEqualTo(".r:*,a:b");
        assertThat(SwiftAcl.with("x:y", "a:b")).isEqualTo("x:y,a:b");
    }

    @Test
    void withoutReallyRemovesTheIdentityAndKeepsTheOthers() {
        assertThat(SwiftAcl.without("x:y, a:b ,z:w", "a:b")).isEqualTo("x:y,z:w");
        assertThat(SwiftAcl.without("a:b", "a:b")).isEmpty();
        assertThat(SwiftAcl.without("a:bc,ca:b", "a:b")).isEqualTo("a:bc,ca:b");
        assertThat(SwiftAcl.without(null, "a:b")).isEmpty();
    }
}

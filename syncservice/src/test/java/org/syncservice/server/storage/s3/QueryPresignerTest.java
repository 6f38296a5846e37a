package org.syncservice.server.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class QueryPresignerTest {
    /** AWS's example in "Authenticating Requests: Using Query Parameters (AWS Signature Version 4)". */
    @Test
    void signsAwsPublishedExampleToItsSignature() {
        QueryPresigner presigner = new QueryPresigner(URI.create("https://s3.amazonaws.com"), false, "us-east-1",
                "AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");

        URI url = presigner.batch("examplebucket", Instant.parse("2013-05-24T00:00:00Z"), Duration.ofDays(1))
                .sign("GET", "test.txt");

        assertThat(url.toString()).isEqualTo("https://examplebucket.s3.amazonaws.com/test.txt"
                + "?X-Amz-Algorithm=AWS4-HMAC-SHA256"
                + "&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request"
                + "&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host"
                + "&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404");
    }

    @Test
    void pathStyleKeepsTheEndpointsPortAndPathAndPutsTheBucketInThePath() {
        QueryPresigner presigner = new QueryPresigner(URI.create("http://127.0.0.1:9000/s3/"), true, "us-east-1",
                "key", "secret");

        URI url = presigner.batch("chunks", Instant.parse("2026-01-02T03:04:05Z"), Duration.ofMinutes(15))
                .sign("PUT", "ws/c_1");

        assertThat(url.getScheme() + "://" + url.getRawAuthority() + url.getRawPath())
                .isEqualTo("http://127.0.0.1:9000/s3/chunks/ws/c_1");
        assertThat(url.getRawQuery()).contains("X-Amz-Date=20260102T030405Z", "X-Amz-Expires=900",
                "X-Amz-Credential=key%2F20260102%2Fus-east-1%2Fs3%2Faws4_request");
    }

    @Test
    void eachMethodAndKeyHasItsOwnSignature() {
        QueryPresigner.Batch batch = new QueryPresigner(URI.create("http://localhost:9000"), true, "eu-west-1",
                "key", "secret").batch("b", Instant.parse("2026-01-02T03:04:05Z"), Duration.ofMinutes(1));

        assertThat(batch.sign("GET", "k1")).isNotEqualTo(batch.sign("PUT", "k1"));
        assertThat(batch.sign("GET", "k1").getRawQuery()).isNotEqualTo(batch.sign("GET", "k2").getRawQuery());
        assertThat(batch.sign("GET", "k1")).isEqualTo(batch.sign("GET", "k1"));
    }

    @Test
    void headersAskedForAreListedAsSignedAndChangeTheSignature() {
        QueryPresigner.Batch batch = new QueryPresigner(URI.create("http://localhost:9000"), true, "eu-west-1",
                "key", "secret").batch("b", Instant.parse("2026-01-02T03:04:05Z"), Duration.ofMinutes(1));
        java.util.TreeMap<String, String> sixteen = new java.util.TreeMap<>(
                java.util.Map.of("content-length", "16", "if-none-match", "*"));
        java.util.TreeMap<String, String> seventeen = new java.util.TreeMap<>(
                java.util.Map.of("content-length", "17", "if-none-match", "*"));

        URI signed = batch.sign("PUT", "k1", sixteen);

        assertThat(signed.getRawQuery()).contains("X-Amz-SignedHeaders=content-length%3Bhost%3Bif-none-match");
        assertThat(signed).isNotEqualTo(batch.sign("PUT", "k1", seventeen));
        assertThat(signed).isNotEqualTo(batch.sign("PUT", "k1"));
        assertThat(batch.sign("PUT", "k1", new java.util.TreeMap<>())).isEqualTo(batch.sign("PUT", "k1"));
    }

    @Test
    void keysAreEncodedAsSigV4WantsKeepingSlashes() {
        assertThat(QueryPresigner.encode("a b/c~d_e-f.g+h", true)).isEqualTo("a%20b/c~d_e-f.g%2Bh");
        assertThat(QueryPresigner.encode("a/b", false)).isEqualTo("a%2Fb");
        assertThat(QueryPresigner.encode("é", true)).isEqualTo("%C3%A9");
    }

    @Test
    void refusesLifetimesS3Refuses() {
        QueryPresigner presigner = new QueryPresigner(URI.create("http://localhost:9000"), true, "us-east-1",
                "key", "secret");

        assertThatThrownBy(() -> presigner.batch("b", Instant.now(), Duration.ofDays(8)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}

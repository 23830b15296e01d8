package org.newbornregistry.routes.mllp;

import org.apache.camel.support.jsse.SSLContextParameters;
import org.junit.jupiter.api.Test;
import org.newbornregistry.routes.config.MllpProperties;

import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The listener's SSL parameters: client certificates required, and configuration errors named without secrets. */
class MllpTlsTest {

    private static final TestPki PKI = TestPki.create(Path.of("target", "mllp-tls", UUID.randomUUID().toString()), "Unit Test CA");
    private static final String KEY_STORE = PKI.keyStore("server.p12", PKI.server("CN=localhost")).toString();
    private static final String TRUST_STORE = PKI.trustStore("ca.p12").toString();

    @Test
    void shouldRequireClientCertificates() {
        // when
        SSLContextParameters parameters = MllpTls.serverParameters(tls(KEY_STORE, PKI.password(), TRUST_STORE), TlsRefusals.NONE);

        // then
        assertThat(parameters.getServerParameters().getClientAuthentication()).isEqualTo("REQUIRE");
    }

    @Test
    void shouldNameTheStoreWithAWrongPasswordAndNotThePassword() {
        // when
        IllegalStateException error = assertThrows(IllegalStateException.class,
                () -> MllpTls.serverParameters(tls(KEY_STORE, "wrong-secret", TRUST_STORE), TlsRefusals.NONE));

        // then
        assertThat(error.getMessage()).startsWith("nbr.mllp.tls.key-store: cannot read").doesNotContain("wrong-secret", PKI.password());
    }

    @Test
    void shouldNameAMissingFile() {
        // when
        IllegalStateException error = assertThrows(IllegalStateException.class,
                () -> MllpTls.serverParameters(tls(KEY_STORE, PKI.password(), "target/none.p12"), TlsRefusals.NONE));

        // then
        assertThat(error.getMessage()).startsWith("nbr.mllp.tls.trust-store.path: no file");
    }

    @Test
    void shouldRefuseATrustStoreAsKeyStore() {
        // when
        IllegalStateException error = assertThrows(IllegalStateException.class,
                () -> MllpTls.serverParameters(tls(TRUST_STORE, PKI.password(), TRUST_STORE), TlsRefusals.NONE));

        // then
        assertThat(error.getMessage()).isEqualTo("nbr.mllp.tls.key-store holds no private key with its certificate");
    }

    @Test
    void shouldNeverPrintAPassword() {
        assertThat(new MllpProperties.Store(KEY_STORE, "s3cret", "PKCS12").toString()).doesNotContain("s3cret");
        assertThat(MllpTls.serverParameters(tls(KEY_STORE, PKI.password(), TRUST_STORE), TlsRefusals.NONE).toString()).doesNotContain(PKI.password());
    }

    private static MllpProperties.Tls tls(String keyStore, String password, String trustStore) {
        return new MllpProperties.Tls(true, new MllpProperties.Store(keyStore, password, "PKCS12"),
                new MllpProperties.Store(trustStore, PKI.password(), "PKCS12"), List.of());
    }
}

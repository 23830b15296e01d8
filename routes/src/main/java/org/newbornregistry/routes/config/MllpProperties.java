package org.newbornregistry.routes.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;
import java.util.List;

/**
 * The MLLP listener ({@code nbr.mllp.*}).
 *
 * @param enabled        whether the listener runs; default true
 * @param host           address to bind; default 0.0.0.0
 * @param port           TCP port; default 2575
 * @param maxConnections most concurrent connections served; default 50
 * @param maxConnectionsPerAddress most of them from one IP address, so that one sender's idle or abandoned
 *                       connections cannot take every slot; default 20
 * @param receiveTimeout how long to wait for the rest of a started message before resetting the connection; default 15s
 *                       (a bare number is read as milliseconds)
 * @param messageTimeout longest a message may take from its first byte to its last, however steadily it trickles
 *                       in; then the connection is reset; default 60s
 * @param maxFrameSize   largest frame read whole; a larger one is answered AR (NBR-1002) with its first bytes kept,
 *                       and its rest is not read; default 16MB
 * @param idleTimeout    how long a connection may stay idle before it is closed, 0 for never; default 0
 * @param tls            mutual TLS; default off (plain TCP)
 */
@Validated
@ConfigurationProperties(prefix = "nbr.mllp")
public record MllpProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("0.0.0.0") @NotBlank String host,
        @DefaultValue("2575") @Min(1) @Max(65535) int port,
        @DefaultValue("50") @Min(1) int maxConnections,
        @DefaultValue("20") @Min(1) int maxConnectionsPerAddress,
        @DefaultValue("15s") @NotNull @DurationMin(millis = 100) Duration receiveTimeout,
        @DefaultValue("60s") @NotNull Duration messageTimeout,
        @DefaultValue("16MB") @NotNull DataSize maxFrameSize,
        @DefaultValue("0") @NotNull Duration idleTimeout,
        @Valid @DefaultValue Tls tls) {

    /**
     * Mutual TLS on the listener ({@code nbr.mllp.tls.*}): when enabled, only TLS connections whose
     * client certificate chains to the trust store are served, and each message's sender (MSH-3,
     * MSH-4) must be one the certificate is bound to in {@code clients}.
     *
     * @param enabled    whether the listener requires TLS with a client certificate; default false
     * @param keyStore   the listener's private key and certificate chain
     * @param trustStore the certificates (normally the CA) that client certificates must chain to
     * @param clients    the binding table: which senders each client certificate may send for; a
     *                   certificate in no entry may send nothing
     */
    public record Tls(
            @DefaultValue("false") boolean enabled,
            @Valid @DefaultValue Store keyStore,
            @Valid @DefaultValue Store trustStore,
            List<@Valid Client> clients) {

        public Tls {
            clients = clients == null ? List.of() : List.copyOf(clients);
        }
    }

    /**
     * A key store file.
     *
     * @param path     file path; required when TLS is enabled
     * @param password the store's password (for a key store also the key's); secret: set it
     *                 through the environment ({@code NBR_MLLP_TLS_KEY_STORE_PASSWORD})
     * @param type     key store type; default PKCS12
     */
    public record Store(String path, String password, @DefaultValue("PKCS12") @NotBlank String type) {

        /** Never prints the password. */
        @Override
        public String toString() {
            return "Store[path=" + path + ", password=" + (password == null ? "unset" : "******") + ", type=" + type + "]";
        }
    }

    /**
     * One entry of the binding table: a client certificate, by SHA-256 fingerprint or subject DN or
     * both (then both must match), and the senders it may send for. A message is taken when an
     * entry matching the connection's certificate allows both its MSH-4 and its MSH-3.
     *
     * @param fingerprint         SHA-256 fingerprint of the certificate, hex, colons optional (as
     *                            {@code keytool -list -v} and {@code openssl x509 -fingerprint -sha256} print it)
     * @param subject             subject DN of the certificate (RFC 2253, e.g. {@code CN=nursery,O=General Hospital});
     *                            compared as X.500 names, so case and spacing do not matter
     * @param sendingFacilities   MSH-4 values allowed: MSH-4 passes when its namespace id (MSH-4.1) and
     *                            its universal id (MSH-4.2), each where present, are both listed, or MSH-4 as
     *                            sent is; empty for any facility
     * @param sendingApplications MSH-3 values allowed, compared the same way; empty for any application
     */
    public record Client(String fingerprint, String subject, List<String> sendingFacilities,
                         List<String> sendingApplications) {

        public Client {
            sendingFacilities = sendingFacilities == null ? List.of() : List.copyOf(sendingFacilities);
            sendingApplications = sendingApplications == null ? List.of() : List.copyOf(sendingApplications);
        }
    }
}

package org.newbornregistry.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.newbornregistry.fhir.security.DevelopmentIssuer;
import org.springframework.security.oauth2.jwt.Jwt;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** The {@code token} command mints development tokens the adapter accepts. */
class TokenCommandTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void shouldMintAHospitalTokenTheAdaptersKeyValidates(@TempDir Path directory) {
        // given
        Path key = directory.resolve("dev-issuer.key");
        DevelopmentIssuer issuer = DevelopmentIssuer.loadOrCreate(key);

        // when
        int exit = run("hospital", "--organization", "GENERAL-HOSPITAL", "--days", "2", "--key-file", key.toString());

        // then
        assertThat(exit).as(err.toString(StandardCharsets.UTF_8)).isZero();
        Jwt jwt = issuer.decoder().decode(out.toString(StandardCharsets.UTF_8).trim());
        assertThat(jwt.getClaimAsString("scope")).contains("system/Patient.crus");
        assertThat(jwt.getClaimAsString("organization")).isEqualTo("GENERAL-HOSPITAL");
        assertThat(jwt.getExpiresAt()).isBetween(Instant.now().plus(Duration.ofDays(2)).minusSeconds(60), Instant.now().plus(Duration.ofDays(2)));
    }

    @Test
    void shouldRefuseAnUnknownRoleAndAMissingKey(@TempDir Path directory) {
        assertThat(run("superuser")).isEqualTo(2);
        assertThat(run("lab", "--key-file", directory.resolve("absent.key").toString())).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("usage:", "start the adapter once first");
    }

    private int run(String... args) {
        return TokenCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }
}

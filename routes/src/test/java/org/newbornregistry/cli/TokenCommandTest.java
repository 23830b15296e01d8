package org.newbornregistry.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.newbornregistry.fhir.security.DevelopmentIssuer;
import org.springframework.security.oauth2.jwt.Jwt;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** The {@code token} command mints development tokens the adapter accepts. */
class TokenCommandTest {

    @Test
    void shouldMintAHospitalTokenTheAdaptersKeyValidates(@TempDir Path directory) {
        // given
        Path key = directory.resolve("dev-issuer.key");
        DevelopmentIssuer issuer = DevelopmentIssuer.loadOrCreate(key);

        // when
        CliRun run = CliRun.of("token", "hospital", "--organization", "GENERAL-HOSPITAL", "--days", "2", "--key-file", key.toString());

        // then
        assertThat(run.exit()).as(run.toString()).isZero();
        Jwt jwt = issuer.decoder().decode(run.out().trim());
        assertThat(jwt.getClaimAsString("scope")).contains("system/Patient.crus");
        assertThat(jwt.getClaimAsString("organization")).isEqualTo("GENERAL-HOSPITAL");
        assertThat(jwt.getExpiresAt()).isBetween(Instant.now().plus(Duration.ofDays(2)).minusSeconds(60), Instant.now().plus(Duration.ofDays(2)));
    }

    @Test
    void shouldGiveTheHospitalTokenTheSampleHospitalUnlessToldOtherwise(@TempDir Path directory) {
        // given
        Path key = directory.resolve("dev-issuer.key");
        DevelopmentIssuer issuer = DevelopmentIssuer.loadOrCreate(key);

        // when
        CliRun hospital = CliRun.of("token", "HOSPITAL", "--key-file", key.toString());
        CliRun lab = CliRun.of("token", "lab", "--key-file", key.toString());

        // then
        assertThat(issuer.decoder().decode(hospital.out().trim()).getClaimAsString("organization"))
                .isEqualTo(DevelopmentIssuer.SAMPLE_HOSPITAL);
        assertThat(issuer.decoder().decode(lab.out().trim()).hasClaim("organization")).isFalse();
    }

    @Test
    void shouldRefuseAnUnknownRoleAndAMissingKeyAsUsageErrors(@TempDir Path directory) {
        // when
        CliRun unknownRole = CliRun.of("token", "superuser");
        CliRun missingKey = CliRun.of("token", "lab", "--key-file", directory.resolve("absent.key").toString());

        // then
        assertThat(unknownRole.exit()).isEqualTo(ExitCode.USAGE.code());
        assertThat(unknownRole.err()).contains("'superuser' is not a role; one of hospital, lab, auditor, investigator, admin", "Usage:");
        assertThat(missingKey.exit()).isEqualTo(ExitCode.USAGE.code());
        assertThat(missingKey.err()).contains("start the adapter once first");
        assertThat(unknownRole.out() + missingKey.out()).isEmpty();
    }
}

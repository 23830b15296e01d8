package org.newbornregistry.fhir.security;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;
import java.util.List;

/**
 * The development token issuer of the default run ({@code nbr.security.*}). It is used only while
 * neither {@code spring.security.oauth2.resourceserver.jwt.issuer-uri} nor {@code ...jwk-set-uri}
 * is set; the production profile refuses to start with it.
 *
 * @param devKeyFile       where the development RSA key pair is kept (owner-only); default ./data/dev-issuer.key
 * @param devTokensDir     where a ready token per role is written at start-up; default ./data/dev-tokens
 * @param devTokenValidity how long those tokens are valid; default 30 days
 * @param devHospitalOrganization the {@code organization} claim of the development hospital token: the
 *                         organisation whose records it may see and change, named as its HL7 messages'
 *                         MSH-4 names it (universal id, else namespace); default {@link DevelopmentIssuer#SAMPLE_HOSPITAL}
 * @param organizations    the organisations (hospitals) whose identifiers only they may register, known before they
 *                         hold any record (the registry learns each organisation that holds a record by itself);
 *                         default none
 */
@Validated
@ConfigurationProperties(prefix = "nbr.security")
public record SecurityProperties(
        @DefaultValue("./data/dev-issuer.key") @NotBlank String devKeyFile,
        @DefaultValue("./data/dev-tokens") @NotBlank String devTokensDir,
        @DefaultValue("30d") @NotNull Duration devTokenValidity,
        @DefaultValue(DevelopmentIssuer.SAMPLE_HOSPITAL) @NotBlank String devHospitalOrganization,
        List<@NotBlank String> organizations) {

    public SecurityProperties {
        organizations = organizations == null ? List.of() : List.copyOf(organizations);
    }
}

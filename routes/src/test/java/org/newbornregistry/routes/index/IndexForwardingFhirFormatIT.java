package org.newbornregistry.routes.index;

import org.newbornregistry.fhir.TestTokens;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import org.apache.camel.test.AvailablePortFinder;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Specimen;
import org.junit.jupiter.api.Test;
import org.newbornregistry.NbrApplication;
import org.newbornregistry.adapter.index.Pseudonymizer;
import org.newbornregistry.conformance.FhirExamples;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The FHIR wire format towards an index that takes FHIR: a Bundle whose only subject is the
 * pseudonym, with the blood spot and the genotype, and nothing else of the newborn or the mother.
 */
@SpringBootTest(classes = NbrApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class IndexForwardingFhirFormatIT {

    private static final int INDEX_PORT = AvailablePortFinder.getNextAvailable();
    private static final FhirContext FHIR = FhirContext.forR4Cached();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("nbr.database.embedded.data-dir", () -> "target/embedded-postgres/" + UUID.randomUUID());
        registry.add("nbr.audit.checkpoint-file", () -> "target/audit-checkpoints/" + UUID.randomUUID() + ".log");
        registry.add("nbr.database.embedded.durable", () -> "false");
        registry.add("nbr.mllp.enabled", () -> "false");
        registry.add("nbr.index.reference.port", () -> INDEX_PORT);
        registry.add("nbr.index.url", () -> "http://127.0.0.1:" + INDEX_PORT + "/index");
        registry.add("nbr.index.format", () -> "FHIR");
        registry.add("nbr.index.pseudonym-key", () -> Base64.getEncoder().encodeToString(
                "another test key, 32 bytes long!".getBytes(StandardCharsets.US_ASCII)));
        registry.add("nbr.index.poll-interval", () -> "50ms");
        registry.add("nbr.retention.enabled", () -> "false");
    }

    @LocalServerPort
    int port;

    @Autowired
    ReferenceIndexServer index;

    @Autowired
    Pseudonymizer pseudonyms;

    @Test
    void shouldSendABundleWhoseOnlySubjectIsThePseudonym() {
        // given
        FHIR.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
        IGenericClient fhir = TestTokens.authorised(FHIR.newRestfulGenericClient("http://localhost:" + port + "/fhir"));
        FhirExamples examples = FhirExamples.story();
        fhir.transaction().withBundle(FHIR.newJsonParser().parseResource(Bundle.class, examples.json("birth-transaction.json"))).execute();
        fhir.transaction().withBundle(FHIR.newJsonParser().parseResource(Bundle.class,
                examples.json("blood-spot-order-transaction.json"))).execute();
        fhir.create().resource(FHIR.newJsonParser().parseResource(Consent.class, examples.json("consent.json"))).execute();

        // when
        fhir.transaction().withBundle(FHIR.newJsonParser().parseResource(Bundle.class,
                examples.json("str-genotype-transaction.json"))).execute();

        // then
        Patient newborn = (Patient) fhir.search().byUrl("Patient?identifier=urn:oid:2.16.840.1.113883.19.5|" + examples.mrn())
                .returnBundle(Bundle.class).execute().getEntryFirstRep().getResource();
        String pseudonym = pseudonyms.pseudonym(newborn.getIdElement().getIdPart());
        await().atMost(Duration.ofSeconds(20)).until(() -> index.index().pseudonyms().contains(pseudonym));
        String payload = index.received().get(0).body();
        Bundle sent = FHIR.newJsonParser().parseResource(Bundle.class, payload);
        assertThat(sent.getEntry()).extracting(e -> e.getResource().fhirType()).containsExactlyInAnyOrder("Specimen", "Observation");
        Observation genotype = (Observation) sent.getEntry().stream().map(Bundle.BundleEntryComponent::getResource)
                .filter(Observation.class::isInstance).findFirst().orElseThrow();
        assertThat(genotype.getSubject().getIdentifier().getValue()).isEqualTo(pseudonym);
        assertThat(genotype.getComponent()).hasSizeGreaterThanOrEqualTo(20);
        Specimen spot = (Specimen) sent.getEntry().stream().map(Bundle.BundleEntryComponent::getResource)
                .filter(Specimen.class::isInstance).findFirst().orElseThrow();
        assertThat(spot.getSubject().getIdentifier().getValue()).isEqualTo(pseudonym);
        for (String value : new String[]{examples.mrn(), "GHM" + examples.suffix(), examples.spot(), "DOE", "JANE", "BABY GIRL",
                "2024-05-01", "1995-03-12", newborn.getIdElement().getIdPart()}) {
            assertThat(payload.contains(value)).as("the FHIR submission carries one of the newborn's or mother's values").isFalse();
        }
    }
}

package org.newbornregistry.fhir.validation;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import ca.uhn.fhir.validation.ValidationResult;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.newbornregistry.adapter.mapping.Intake;
import org.newbornregistry.adapter.mapping.V2Intake;
import org.newbornregistry.conformance.Samples;
import org.newbornregistry.conformance.SharedCorpus;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The HL7 v2 entrance does not run the validator (it is too slow for every internal write);
 * this test proves instead that every resource the mapping produces from every sample message
 * (the project's own and the shared corpus's) validates with zero errors against base R4, the
 * profiles the mappers declare, and the profiles {@link ProfileSelector} assigns.
 */
class MappedResourcesConformanceTest {

    private static final FhirContext FHIR = FhirContext.forR4();
    private static final V2Intake INTAKE = new V2Intake(ZoneId.of("UTC"), Set.of("P", "T", "D"));
    private static RegistryValidator validator;

    @BeforeAll
    static void buildValidator() {
        validator = SharedValidator.get();
    }

    static Stream<String> projectSamples() throws IOException {
        return Arrays.stream(new PathMatchingResourcePatternResolver().getResources("classpath*:samples/v2/*.hl7"))
                .map(r -> r.getFilename()).sorted();
    }

    static Stream<String> corpusMessages() {
        return SharedCorpus.files("hl7").stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("projectSamples")
    void shouldValidateEveryResourceMappedFromProjectSample(String sample) {
        assertConformant(sample, Samples.v2(sample), true);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpusMessages")
    void shouldValidateEveryResourceMappedFromCorpusMessage(String message) {
        Path file = SharedCorpus.file("hl7/" + message);
        byte[] raw;
        try {
            raw = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertConformant(message, raw, false);
    }

    private static void assertConformant(String name, byte[] raw, boolean mustMap) {
        // given
        Intake intake = INTAKE.read(raw);
        if (!mustMap && intake.mapped() == null) {
            // Why: corpus messages the adapter refuses (AE/AR) map to nothing; their ACKs are tested elsewhere.
            return;
        }
        assertThat(intake.mapped()).as("%s maps", name).isNotNull();
        Bundle transaction = intake.mapped().transaction();

        // when
        List<String> errors = new ArrayList<>();
        for (int i = 0; i < transaction.getEntry().size(); i++) {
            Resource resource = transaction.getEntry().get(i).getResource();
            ValidationResult result = validator.validate(resource, ProfileSelector.undeclared(resource));
            for (SingleValidationMessage message : result.getMessages()) {
                if (message.getSeverity().ordinal() >= ResultSeverityEnum.ERROR.ordinal()) {
                    errors.add("entry " + i + " " + resource.fhirType() + " @ " + message.getLocationString() + ": " + message.getMessage());
                }
            }
        }

        // then
        assertThat(errors).as("validation errors in what %s maps to", name).isEmpty();
    }
}

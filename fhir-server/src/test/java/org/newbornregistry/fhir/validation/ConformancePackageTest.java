package org.newbornregistry.fhir.validation;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.hl7.fhir.r4.model.MetadataResource;
import org.hl7.fhir.r4.model.StructureDefinition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.newbornregistry.conformance.NbrCanonical;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The conformance package is a well-formed FHIR package whose resources are themselves valid R4. */
class ConformancePackageTest {

    private static final FhirContext FHIR = FhirContext.forR4();
    private static RegistryValidator validator;

    @BeforeAll
    static void build() {
        validator = SharedValidator.get();
    }

    @Test
    void shouldDescribeThePackageAsAnNpmFhirPackageForR4() throws IOException {
        // when
        JsonNode manifest = json("package.json");

        // then
        assertThat(manifest.path("name").asText()).isEqualTo(NbrCanonical.PACKAGE_NAME);
        assertThat(manifest.path("fhirVersions").get(0).asText()).isEqualTo("4.0.1");
        assertThat(manifest.path("dependencies").path("hl7.fhir.r4.core").asText()).isEqualTo("4.0.1");
        assertThat(manifest.path("canonical").asText()).isEqualTo(NbrCanonical.BASE);
    }

    @Test
    void shouldIndexExactlyTheFilesOfThePackageWithTheirIdsUrlsAndVersion() throws IOException {
        // given
        ConformancePackage authored = ConformancePackage.load(FHIR);
        Set<String> files = Arrays.stream(new PathMatchingResourcePatternResolver()
                        .getResources("classpath*:" + NbrCanonical.PACKAGE_PATH + "/*.json"))
                .map(Resource::getFilename).filter(n -> !n.equals("package.json") && !n.startsWith("."))
                .collect(Collectors.toSet());

        // when
        List<String> indexed = new ArrayList<>();
        for (JsonNode entry : json(".index.json").path("files")) {
            indexed.add(entry.path("filename").asText());
            MetadataResource resource = authored.resources().stream()
                    .filter(r -> r.fhirType().equals(entry.path("resourceType").asText())
                            && r.getIdElement().getIdPart().equals(entry.path("id").asText())).findFirst().orElseThrow();
            assertThat(entry.path("filename").asText()).isEqualTo(resource.fhirType() + "-" + resource.getIdElement().getIdPart() + ".json");
            assertThat(entry.path("url").asText()).isEqualTo(resource.getUrl());
            assertThat(entry.path("version").asText()).isEqualTo(authored.version());
        }

        // then
        assertThat(indexed).containsExactlyInAnyOrderElementsOf(files);
        assertThat(authored.resources()).allSatisfy(r -> {
            assertThat(r.getVersion()).as(r.getUrl()).isEqualTo(authored.version());
            assertThat(r.getUrl()).isEqualTo(NbrCanonical.BASE + "/" + r.fhirType() + "/" + r.getIdElement().getIdPart());
            assertThat(r.getDescription()).as(r.getUrl()).isNotBlank();
        });
    }

    @Test
    void shouldAuthorProfilesAsDifferentialsAndPublishThemWithSnapshots() {
        // given
        List<StructureDefinition> authored = ConformancePackage.load(FHIR).resources().stream()
                .filter(StructureDefinition.class::isInstance).map(StructureDefinition.class::cast).toList();

        // when
        List<StructureDefinition> published = validator.conformancePackage().resources().stream()
                .filter(StructureDefinition.class::isInstance).map(StructureDefinition.class::cast).toList();

        // then
        assertThat(authored).hasSize(9).allSatisfy(p -> assertThat(p.hasSnapshot()).as(p.getUrl()).isFalse());
        assertThat(published).hasSize(9).allSatisfy(p -> assertThat(p.getSnapshot().getElement()).as(p.getUrl())
                .hasSizeGreaterThan(p.getDifferential().getElement().size()));
    }

    @Test
    void shouldBeValidR4ResourcesThemselves() {
        // given
        List<String> errors = new ArrayList<>();

        // when
        for (MetadataResource resource : ConformancePackage.load(FHIR).resources()) {
            for (SingleValidationMessage message : validator.validate(resource, List.of()).getMessages()) {
                if (message.getSeverity().ordinal() >= ResultSeverityEnum.ERROR.ordinal()) {
                    errors.add(resource.getUrl() + " @ " + message.getLocationString() + ": " + message.getMessage());
                }
            }
        }

        // then
        assertThat(errors).isEmpty();
    }

    private static JsonNode json(String file) throws IOException {
        try (InputStream in = ConformancePackageTest.class.getClassLoader()
                .getResourceAsStream(NbrCanonical.PACKAGE_PATH + "/" + file)) {
            assertThat(in).as(file).isNotNull();
            return new ObjectMapper().readTree(in);
        }
    }
}

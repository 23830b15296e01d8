package org.newbornregistry.fhir.server;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.provider.MethodSource;
import org.newbornregistry.adapter.error.NbrError;
import org.newbornregistry.conformance.FuzzFindings;
import org.newbornregistry.conformance.FuzzSeeds;
import org.newbornregistry.conformance.SharedCorpus;
import org.newbornregistry.fhir.interceptor.ParserDefects;
import org.newbornregistry.fhir.validation.InboundValidator;
import org.newbornregistry.fhir.validation.RegistryValidator;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes the FHIR JSON entrance without a server: a request body is parsed with the server's own
 * context (its {@link NoDataLossParserErrorHandler}) and what parses is validated by the
 * registry's {@link InboundValidator}, as the write path does. Every body must end in a resource
 * that passes, a {@link DataFormatException} or one of the {@linkplain ParserDefects unchecked
 * exceptions HAPI's parser throws itself} (both answered 400 {@code NBR-1001}), or a 422
 * {@code NBR-1007} with an OperationOutcome; any other exception would be a 500.
 *
 * <p>Seeds: the project's FHIR examples, the shared corpus's FHIR bundles when present, and a few
 * hand-written bodies. Regular builds fuzz for a few seconds (surefire execution
 * {@code fuzz-fhir-json}); findings are written under {@code target/jazzer/}, and failures here
 * name exception classes and codes, never the input.
 */
class FhirJsonInboundFuzzTest {

    /** The server's context and validator, built once per JVM and only for the fuzz test: the validator takes seconds to build. */
    private static final class Server {
        static final FhirContext FHIR = new RegistryServerAutoConfiguration().fhirContext();
        static final InboundValidator VALIDATOR = new InboundValidator(FHIR, RegistryValidator.create(FHIR), true);
    }

    static Stream<Named<byte[]>> seeds() {
        return Stream.of(FuzzSeeds.fhirExamples(), FuzzSeeds.sharedCorpus("fhir", ".json"), handWritten())
                .flatMap(List::stream);
    }

    private static List<Named<byte[]>> handWritten() {
        return List.of(
                seed("empty object", "{}"),
                seed("patient", "{\"resourceType\":\"Patient\",\"birthDate\":\"2024-05-01\",\"gender\":\"female\"}"),
                seed("primitive with extension only", "{\"resourceType\":\"Patient\",\"_birthDate\":{\"extension\":"
                        + "[{\"url\":\"http://hl7.org/fhir/StructureDefinition/patient-birthTime\",\"valueDateTime\":\"2024-05-01T08:12:00-05:00\"}]}}"),
                seed("non-object in a nested extension array (HAPI parser NullPointerException)",
                        "{\"resourceType\":\"Patient\",\"extension\":[{\"url\":\"http://example.org/x\",\"extension\":[1]}]}"),
                seed("contained and bundle", "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[{\"fullUrl\":\"urn:uuid:1\","
                        + "\"resource\":{\"resourceType\":\"Observation\",\"status\":\"final\",\"contained\":[{\"resourceType\":\"Patient\",\"id\":\"p\"}],"
                        + "\"code\":{\"text\":\"x\"},\"subject\":{\"reference\":\"#p\"},\"valueQuantity\":{\"value\":1e400}}"
                        + ",\"request\":{\"method\":\"POST\",\"url\":\"Observation\"}}]}"));
    }

    @MethodSource("seeds")
    @FuzzTest(maxDuration = "5s")
    void shouldParseAndValidateEveryBodyOrRefuseItWithAnOutcome(byte[] body) {
        // when
        IBaseResource resource;
        try {
            resource = Server.FHIR.newJsonParser().parseResource(new String(body, StandardCharsets.UTF_8));
        } catch (DataFormatException e) {
            return;
        } catch (RuntimeException e) {
            if (ParserDefects.thrownByParser(e)) {
                return;
            }
            throw FuzzFindings.withoutContent("the JSON parser threw", e);
        }
        BaseServerResponseException refused = null;
        try {
            if (resource instanceof Bundle bundle) {
                Server.VALIDATOR.checkEntries(bundle);
            } else {
                Server.VALIDATOR.check(resource);
            }
        } catch (BaseServerResponseException e) {
            refused = e;
        } catch (RuntimeException e) {
            throw FuzzFindings.withoutContent("the validator threw", e);
        }

        // then
        if (refused != null) {
            assertThat(refused.getStatusCode()).isEqualTo(NbrError.PROFILE_VALIDATION_FAILED.httpStatus());
            assertThat(refused.getOperationOutcome()).isInstanceOf(OperationOutcome.class);
            OperationOutcome outcome = (OperationOutcome) refused.getOperationOutcome();
            assertThat(outcome.getIssue()).isNotEmpty()
                    .allMatch(i -> NbrError.PROFILE_VALIDATION_FAILED.code().equals(i.getDetails().getCodingFirstRep().getCode()),
                            "every issue carries NBR-1007");
        }
    }

    @Test
    void shouldSeedFromTheSharedCorpusWhenPresent() {
        // given: skips, and says so, without ../shared/corpus
        List<String> corpus = SharedCorpus.files("fhir").stream().filter(f -> f.endsWith(".json")).toList();

        // when
        List<String> seeded = seeds().map(Named::getName).toList();

        // then
        assertThat(seeded).containsAll(corpus.stream().map(f -> "corpus/fhir/" + f).toList());
    }

    private static Named<byte[]> seed(String name, String text) {
        return Named.of(name, text.getBytes(StandardCharsets.UTF_8));
    }
}

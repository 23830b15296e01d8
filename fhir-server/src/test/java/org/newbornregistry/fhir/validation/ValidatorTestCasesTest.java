package org.newbornregistry.fhir.validation;

import ca.uhn.fhir.validation.ResultSeverityEnum;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.gson.JsonParseException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The registry's validation chain against the official validator's own R4 test cases
 * ({@code org.hl7.fhir.testcases:fhir-test-cases}): for each self-contained case of the base
 * modules (no supporting profiles, packages or fetchers) the chain finds errors exactly when the
 * reference Java validator does. Cases it decides otherwise by design (no terminology server for
 * LOINC, SNOMED CT or CVX; unknown extensions allowed) are listed with the reason in
 * {@link #OFFLINE_DIFFERENCES}, and must keep differing: a list that goes stale fails too.
 */
class ValidatorTestCasesTest {

    private static final String ROOT = "org/hl7/fhir/testcases/validator/";
    private static final Set<String> MODULES = Set.of("general", "invariants", "references", "bundle", "extensions", "xhtml",
            "sd", "fmt", "tx", "versions");
    private static final Set<String> NEEDS_MORE_THAN_THE_CHAIN = Set.of("supporting", "supporting5", "profile", "profiles",
            "packages", "package-map", "fetcher", "logical", "igs", "examples", "security-checks", "best-practice",
            "crumb-trail", "allow-comments", "language", "validateReference", "validateContains", "bundle-param", "advisor",
            "certificate", "for-publication", "no-tx", "noHtmlInMarkdown", "no-experimental-content", "ids-in-errors",
            "allowed-extension-domain", "assumeValidRestReferences", "new-xver-mode", "r5-bundle-relative-reference-policy");

    /** Cases where the registry's chain decides otherwise than the reference validator, and why. */
    static final Map<String, String> OFFLINE_DIFFERENCES = Map.ofEntries(
            Map.entry("vs-bad-code", "needs a terminology server"),
            Map.entry("cvx", "CVX codes need a terminology server"),
            Map.entry("obs-vs-1", "LOINC codes need a terminology server"),
            Map.entry("obs-temp-code2", "LOINC codes need a terminology server"),
            Map.entry("cs-bad-props", "CodeSystem property checks need a terminology server"),
            Map.entry("vs-bad-props", "ValueSet property checks need a terminology server"),
            Map.entry("vs-bad-ecl", "SNOMED CT ECL needs a terminology server"),
            Map.entry("vs-bad-ecl-us", "SNOMED CT ECL needs a terminology server"),
            Map.entry("bundle-id-5", "CVX display names need a terminology server"),
            Map.entry("ips-nz-pj", "LOINC display names need a terminology server"),
            Map.entry("pat-dob-ext", "unknown extensions are allowed: hospitals send their own"),
            Map.entry("structureDefinition-11179-objectClass-R4",
                    "HAPI's worker context cannot place the posted profile's package; clients do not post profiles"));

    private static RegistryValidator validator;

    @BeforeAll
    static void build() {
        validator = SharedValidator.get();
    }

    static Stream<Arguments> cases() {
        JsonNode manifest = json(ROOT + "manifest.json");
        List<Arguments> cases = new ArrayList<>();
        for (JsonNode testCase : manifest.path("test-cases")) {
            String version = testCase.path("version").asText();
            String module = testCase.path("module").asText(null);
            boolean selfContained = NEEDS_MORE_THAN_THE_CHAIN.stream().noneMatch(testCase::has);
            if ((version.equals("4.0") || version.equals("4.0.1")) && (module == null || MODULES.contains(module))
                    && selfContained && testCase.path("use-test").asBoolean(true) && testCase.has("java")) {
                Integer expected = expectedErrors(testCase);
                if (expected != null) {
                    cases.add(Arguments.of(testCase.path("name").asText(), testCase.path("file").asText(), expected));
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void shouldFindErrorsExactlyWhenTheReferenceValidatorDoes(String name, String file, int expectedErrors) {
        // given
        String text = text(ROOT + file);

        // when
        long errors = errors(text);

        // then
        boolean agrees = (errors > 0) == (expectedErrors > 0);
        assertThat(agrees).as("%s: the reference validator finds %d errors, the chain %d%s", name, expectedErrors, errors,
                        OFFLINE_DIFFERENCES.containsKey(name) ? "" : " (not a known difference)")
                .isEqualTo(!OFFLINE_DIFFERENCES.containsKey(name));
    }

    /**
     * Errors the chain finds in a text. Text that does not parse counts as refused: the server
     * answers it 400 before the validator runs, as the reference validator reports it fatal.
     */
    private static long errors(String text) {
        try {
            return validator.validate(text, List.of()).getMessages().stream()
                    .filter(m -> m.getSeverity().ordinal() >= ResultSeverityEnum.ERROR.ordinal()).count();
        } catch (JsonParseException unparseable) {
            return 1;
        }
    }

    /** Errors the reference Java validator reports for a case; null when the package has no outcome for it. */
    private static Integer expectedErrors(JsonNode testCase) {
        JsonNode java = testCase.path("java");
        if (java.isTextual() && ValidatorTestCasesTest.class.getClassLoader().getResource(ROOT + "outcomes/" + java.asText()) == null) {
            return null;
        }
        JsonNode outcome = java.isTextual() ? json(ROOT + "outcomes/" + java.asText()) : java.path("outcome");
        int errors = 0;
        for (JsonNode issue : outcome.path("issue")) {
            String severity = issue.path("severity").asText();
            if (severity.equals("error") || severity.equals("fatal")) {
                errors++;
            }
        }
        return errors;
    }

    private static JsonNode json(String path) {
        try {
            return new ObjectMapper().readTree(text(path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String text(String path) {
        try (InputStream in = ValidatorTestCasesTest.class.getClassLoader().getResourceAsStream(path)) {
            assertThat(in).as(path).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

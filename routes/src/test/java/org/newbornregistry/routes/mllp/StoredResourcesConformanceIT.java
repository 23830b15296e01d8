package org.newbornregistry.routes.mllp;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;
import org.newbornregistry.conformance.Samples;
import org.newbornregistry.conformance.SharedCorpus;
import org.newbornregistry.fhir.validation.ProfileSelector;
import org.newbornregistry.fhir.validation.RegistryValidator;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.jdbc.core.JdbcTemplate;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the registry stores, not only what the mappers produce, meets base R4 and the registry's
 * profiles: the project's samples over real MLLP in file-name order (the order an integration
 * engineer first sends them, where a merge absorbs a newborn whose consents are under review), in
 * reverse order under identifiers of their own, and every message of the shared corpus; then
 * every current version of every stored resource goes through the official validator, and the
 * outbox towards the index has nothing stuck.
 */
class StoredResourcesConformanceIT extends MllpListenerTestSupport {

    /** Values in validator messages are quoted; they are not shown, as test output carries no data. */
    private static final Pattern QUOTED = Pattern.compile("'[^']*'|\"[^\"]*\"");

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    RegistryValidator validator;

    private final FhirContext fhir = FhirContext.forR4Cached();

    @Test
    void shouldStoreOnlyResourcesThatValidateAfterTheSamplesInAnyOrderAndTheSharedCorpus() throws Exception {
        // given
        List<String> samples = Arrays.stream(new PathMatchingResourcePatternResolver().getResources("classpath*:samples/v2/*.hl7"))
                .map(r -> r.getFilename()).sorted().toList();
        List<String> reversed = new ArrayList<>(samples);
        Collections.reverse(reversed);
        String run = Integer.toString(ThreadLocalRandom.current().nextInt(100_000, 1_000_000));
        Map<String, String> acks = new LinkedHashMap<>();

        // when
        try (MllpTestClient client = new MllpTestClient(MLLP_PORT)) {
            for (String sample : samples) {
                acks.put(sample, ackCode(client.send(Samples.v2(sample))));
            }
            for (String sample : reversed) {
                acks.put("reversed " + sample, ackCode(client.send(renamed(Samples.v2(sample), run))));
            }
            for (String message : SharedCorpus.files("hl7")) {
                client.send(Files.readAllBytes(SharedCorpus.file("hl7/" + message)));
            }
        }

        // then
        assertThat(acks).as("every project sample is accepted, in either order").allSatisfy((sample, code) ->
                assertThat(code).as(sample).isEqualTo("AA"));
        List<String> errors = new ArrayList<>();
        int validated = 0;
        for (String json : jdbc.queryForList("""
                select v.content from resource r join resource_version v on v.res_pid = r.pid and v.version = r.version
                where not r.deleted""", String.class)) {
            Resource resource = (Resource) fhir.newJsonParser().parseResource(json);
            validated++;
            for (SingleValidationMessage message : validator.validate(resource, ProfileSelector.undeclared(resource)).getMessages()) {
                if (message.getSeverity().ordinal() >= ResultSeverityEnum.ERROR.ordinal()) {
                    errors.add(resource.fhirType() + " @ " + message.getLocationString() + ": "
                            + QUOTED.matcher(message.getMessage()).replaceAll("'…'"));
                }
            }
        }
        System.out.printf("Stored resources validated: %d, errors: %d%n", validated, errors.size());
        assertThat(validated).isGreaterThan(100);
        assertThat(errors).as("validation errors in what the registry stores").isEmpty();
        await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.queryForObject(
                "select count(*) from index_outbox where status = 'PENDING' and next_attempt <= now() and attempts = 0",
                Long.class) == 0);
        assertThat(jdbc.queryForList("select outcome from index_outbox where status = 'PARKED' or outcome like 'NBR-9999%'",
                String.class)).as("outbox rows parked or failing").isEmpty();
    }

    /** A project sample under identifiers of this run, so that it is a second set of newborns, not an update of the first. */
    private static byte[] renamed(byte[] sample, String run) {
        String text = new String(sample, StandardCharsets.ISO_8859_1)
                .replace("GH0001", "GR" + run + "1").replace("GH0002", "GR" + run + "2")
                .replace("GHM0099", "GRM" + run + "9").replace("GHM0098", "GRM" + run + "8")
                .replace("V0001", "VR" + run + "1").replace("V0002", "VR" + run + "2")
                .replace("DBS24000001", "DBSR" + run).replace("NBS0001", "NBSR" + run).replace("NBS-24-0042", "NBSR-" + run)
                .replace("NBS-CONSENT-0002", "NBS-CONSENT-R" + run).replace("STR-24-0001", "STRR-" + run)
                .replace("NBR-SAMPLE-", "NBR-R" + run + "-");
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String ackCode(String ack) {
        String[] segments = ack.split("\r");
        return segments.length > 1 && segments[1].startsWith("MSA|") ? segments[1].split("\\|")[1] : "none";
    }
}

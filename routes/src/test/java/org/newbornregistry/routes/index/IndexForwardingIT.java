package org.newbornregistry.routes.index;

import org.newbornregistry.adapter.audit.IndexAuditEvents;
import org.newbornregistry.fhir.TestTokens;
import org.newbornregistry.fhir.security.Role;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.CamelContext;
import org.apache.camel.test.AvailablePortFinder;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import ca.uhn.hl7v2.AcknowledgmentCode;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.RelatedPerson;
import org.hl7.fhir.r4.model.StringType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.slf4j.LoggerFactory;
import org.junit.jupiter.api.Test;
import org.newbornregistry.NbrApplication;
import org.newbornregistry.adapter.genotype.LocusGenotype;
import org.newbornregistry.adapter.genotype.StrLocus;
import org.newbornregistry.adapter.index.CmfHeader;
import org.newbornregistry.adapter.index.CmfWriter;
import org.newbornregistry.adapter.index.IndexSubmission;
import org.newbornregistry.adapter.index.Pseudonymizer;
import org.newbornregistry.conformance.FhirExamples;
import org.newbornregistry.conformance.NbrCanonical;
import org.newbornregistry.conformance.Samples;
import org.newbornregistry.conformance.SharedCorpus;
import org.newbornregistry.fhir.audit.AuditTrail;
import org.newbornregistry.fhir.hl7.InboundMessageService.Receipt;
import org.newbornregistry.fhir.hl7.InboundMessageService;
import org.newbornregistry.fhir.hl7.MessageStore;
import org.newbornregistry.fhir.outbox.IndexOutbox;
import org.newbornregistry.fhir.store.RegistryReadService;
import org.newbornregistry.fhir.store.ResourceEraser;
import org.newbornregistry.routes.config.IndexProperties;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Forwarding to the national index end to end: the whole application on real PostgreSQL, stories
 * posted over FHIR as hospitals and labs post them, the outbox route sending over real HTTP to the
 * reference index peer, which records what crossed the wire.
 */
@CamelSpringBootTest
@SpringBootTest(classes = NbrApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class IndexForwardingIT {

    private static final int INDEX_PORT = AvailablePortFinder.getNextAvailable();
    private static final String ROUTE = "nbr-index-outbox";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final FhirContext FHIR = FhirContext.forR4Cached();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("nbr.database.embedded.data-dir", () -> "target/embedded-postgres/" + UUID.randomUUID());
        registry.add("nbr.audit.checkpoint-file", () -> "target/audit-checkpoints/" + UUID.randomUUID() + ".log");
        registry.add("nbr.database.embedded.durable", () -> "false");
        registry.add("nbr.mllp.enabled", () -> "false");
        registry.add("nbr.index.reference.port", () -> INDEX_PORT);
        registry.add("nbr.index.url", () -> "http://127.0.0.1:" + INDEX_PORT + "/index");
        registry.add("nbr.index.pseudonym-key", () -> Base64.getEncoder().encodeToString(
                "a test key of thirty-two bytes!!".getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        registry.add("nbr.index.poll-interval", () -> "50ms");
        registry.add("nbr.index.initial-backoff", () -> "20ms");
        registry.add("nbr.index.max-backoff", () -> "200ms");
        // Why: each retention test runs retention itself, without a grace period.
        registry.add("nbr.retention.enabled", () -> "false");
        registry.add("nbr.retention.grace-period", () -> "0s");
    }

    @LocalServerPort
    int port;

    @Autowired
    ReferenceIndexServer index;

    @Autowired
    Pseudonymizer pseudonyms;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    CamelContext camel;

    @Autowired
    AuditTrail auditTrail;

    private final HttpClient http = TestTokens.http();

    @BeforeEach
    void healthyIndex() throws Exception {
        faults("fail=0&delayMillis=0");
        index.clear();
    }

    @AfterEach
    void routeRunning() throws Exception {
        camel.getRouteController().startRoute(ROUTE);
    }

    @Test
    void shouldSendNothingWhenNoParentConsented() {
        // given
        Story story = Story.posted(this, false);

        // when
        await().atMost(Duration.ofSeconds(20)).until(() -> status(story.genotypeId()).equals("CANCELLED"));

        // then
        assertThat(outcome(story.genotypeId())).startsWith("no consent to submit");
        assertThat(auditedSteps(story.newbornId())).containsExactly("index-submission-withheld");
        assertThat(consentDecisions(story.newbornId())).containsExactly("national-index-submission: denied (NO_CONSENT)");
        assertThat(index.received()).isEmpty();
        assertThat(index.index().pseudonyms()).doesNotContain(story.pseudonym());
    }

    @Test
    void shouldSubmitOnceWithNothingThatIdentifiesNewbornOrMotherWhenConsented() {
        // given
        Story story = Story.posted(this, true);

        // when
        await().atMost(Duration.ofSeconds(20)).until(() -> delivered(story));

        // then
        assertThat(index.received()).hasSize(1);
        String payload = index.received().get(0).body();
        assertThat(payload).contains(story.pseudonym());
        List<String> identifying = story.identifyingValues();
        assertThat(identifying).contains(story.examples().mrn()).hasSizeGreaterThan(8);
        for (String value : identifying) {
            assertThat(payload.contains(value)).as("the payload carries one of the newborn's or mother's values").isFalse();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> status(story.genotypeId()).equals("DONE"));
        assertThat(index.received()).as("exactly one submission").hasSize(1);
    }

    @Test
    void shouldWaitForTheOrderThatLinksTheBloodSpotThenDeliver() {
        // given: the lab's genotype names only a blood spot no birth record has claimed yet
        FhirExamples examples = FhirExamples.story();
        IGenericClient fhir = fhir();
        fhir.transaction().withBundle(FHIR.newJsonParser().parseResource(Bundle.class, examples.json("birth-transaction.json")))
                .execute();
        fhir.create().resource(FHIR.newJsonParser().parseResource(Consent.class, examples.json("consent.json"))).execute();
        Bundle lab = fhir.transaction().withBundle(FHIR.newJsonParser().parseResource(Bundle.class,
                examples.json("str-genotype-transaction.json"))).execute();
        String genotypeId = lab.getEntry().stream().map(e -> e.getResponse().getLocation())
                .filter(l -> l.startsWith("Observation/")).findFirst().orElseThrow().split("/")[1];
        await().atMost(Duration.ofSeconds(20)).until(() -> outcome(genotypeId) != null
                && outcome(genotypeId).startsWith("the newborn is not known yet"));

        // when: the hospital's order links the blood spot to the newborn
        fhir.transaction().withBundle(FHIR.newJsonParser().parseResource(Bundle.class,
                examples.json("blood-spot-order-transaction.json"))).execute();

        // then
        await().atMost(Duration.ofSeconds(20)).until(() -> status(genotypeId).equals("DONE"));
        assertThat(attempts(genotypeId)).as("waiting for the order is no failed attempt").isEqualTo(1);
        assertThat(index.received()).hasSize(1);
    }

    @Test
    void shouldDeliverOnceWhenTheIndexIsDownThenUp() throws Exception {
        // given
        faults("fail=4&status=503");

        // when
        Story story = Story.posted(this, true);

        // then
        await().atMost(Duration.ofSeconds(20)).until(() -> status(story.genotypeId()).equals("DONE"));
        assertThat(attempts(story.genotypeId())).isEqualTo(5);
        assertThat(auditedSteps(story.newbornId())).as("every attempt is audited").containsExactly(
                "index-submission", "index-submission", "index-submission", "index-submission", "index-submission");
        assertThat(index.received()).extracting(ReferenceIndexServer.Received::duplicate).containsExactly(false);
        assertThat(index.index().pseudonyms()).contains(story.pseudonym());
    }

    @Test
    void shouldParkARefusedSubmissionShowItToOperatorsAndDeliverItWhenRetried() throws Exception {
        // given: the index refuses the next submission outright
        faults("fail=1&status=400");
        Story story = Story.posted(this, true);
        await().atMost(Duration.ofSeconds(20)).until(() -> status(story.genotypeId()).equals("PARKED"));
        long rowId = jdbc.queryForObject("select id from index_outbox where observation_id = ? and action = 'SUBMIT'",
                Long.class, story.genotypeId());

        // when
        JsonNode parked = JSON.readTree(admin("GET", "/admin/index/outbox/rows?status=parked").body());
        // Why await: the outbox gauges read a query cached for a few seconds.
        await().atMost(Duration.ofSeconds(20)).until(() -> metric("nbr.index.outbox.rows?tag=status:PARKED") >= 1.0);
        double parkedDeliveries = metric("nbr.index.deliveries?tag=action:submit&tag=outcome:parked");
        HttpResponse<String> retried = admin("POST", "/admin/index/outbox/rows/" + rowId + "/$retry");
        HttpResponse<String> again = admin("POST", "/admin/index/outbox/rows/" + rowId + "/$retry");

        // then
        assertThat(parked.path("rows").findValuesAsText("observation_id")).contains(story.genotypeId());
        assertThat(parked.toString()).doesNotContain(story.pseudonym());
        assertThat(parkedDeliveries).isGreaterThanOrEqualTo(1.0);
        assertThat(retried.statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(20)).until(() -> status(story.genotypeId()).equals("DONE"));
        assertThat(index.index().pseudonyms()).contains(story.pseudonym());
        assertThat(again.statusCode()).as("a row that is no longer parked").isEqualTo(409);
        assertThat(admin("POST", "/admin/index/outbox/rows/999999999/$retry").statusCode()).isEqualTo(404);
    }

    @Test
    void shouldNeverDeliverWhenConsentIsWithdrawnWhileTheIndexIsDown() throws Exception {
        // given
        faults("fail=100000&status=503");
        Story story = Story.posted(this, true);
        await().atMost(Duration.ofSeconds(20)).until(() -> attempts(story.genotypeId()) >= 2);

        // when
        story.withdrawConsent();
        await().atMost(Duration.ofSeconds(20)).until(() -> reviewsDone(story.newbornId()) >= 1);
        faults("fail=0");

        // then
        await().atMost(Duration.ofSeconds(20)).until(() -> status(story.genotypeId()).equals("CANCELLED"));
        // Why: the review may cancel the queued row first, or the row's own retry may find the consent gone first.
        assertThat(outcome(story.genotypeId())).containsAnyOf("consent withdrawn", "no consent to submit");
        assertThat(index.received()).isEmpty();
        assertThat(index.index().pseudonyms()).doesNotContain(story.pseudonym());
    }

    @Test
    void shouldDeleteAtTheIndexAndEraseTheGenotypeWithItsHistoryWhenConsentIsWithdrawnAfterDelivery() {
        // given
        Story story = Story.posted(this, true);
        await().atMost(Duration.ofSeconds(20)).until(() -> delivered(story));

        // when
        story.withdrawConsent();

        // then
        await().atMost(Duration.ofSeconds(20)).until(() -> withdrawn(story));
        await().atMost(Duration.ofSeconds(10)).until(() -> reviewsDone(story.newbornId()) >= 1);
        assertThatThrownBy(() -> fhir().read().resource(Observation.class).withId(story.genotypeId()).execute())
                .isInstanceOf(ResourceGoneException.class);
        Bundle history = fhir().history().onInstance("Observation/" + story.genotypeId()).returnBundle(Bundle.class).execute();
        assertThat(history.getEntry()).as("one version says a genotype existed and was erased").hasSize(1);
        assertThat(history.getEntryFirstRep().hasResource()).isFalse();
        assertThat(history.getEntryFirstRep().getRequest().getMethod()).isEqualTo(Bundle.HTTPVerb.DELETE);
        assertThat(jdbc.queryForObject("""
                select count(*) from resource_version v join resource r on r.pid = v.res_pid
                where r.res_type = 'Observation' and r.res_id = ? and v.content is not null""", Long.class, story.genotypeId()))
                .isZero();
        assertThat(fhir().search().byUrl("Observation?code=http://loinc.org|84413-4&specimen=Specimen/" + story.spotId())
                .returnBundle(Bundle.class).execute().getEntry()).isEmpty();
        assertThat(auditedSteps(story.newbornId())).containsSubsequence("index-submission", "index-deletion", "genotype-erasure");
    }

    @Test
    void shouldSendEachRowOnceWhenTwoInstancesDrainOneOutbox(@Autowired IndexOutbox outbox,
                                                             @Autowired RegistryReadService reads,
                                                             @Autowired ResourceEraser eraser,
                                                             @Autowired MessageStore messages,
                                                             @Autowired PlatformTransactionManager transactions,
                                                             @Autowired IndexProperties properties) throws Exception {
        // given: the route stopped, ten consented genotypes waiting, an index slow enough for the two to overlap
        camel.getRouteController().stopRoute(ROUTE);
        List<Story> stories = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            stories.add(Story.posted(this, true));
        }
        faults("delayMillis=30");
        List<IndexForwarder> instances = List.of(forwarder(outbox, reads, eraser, messages, transactions, properties),
                forwarder(outbox, reads, eraser, messages, transactions, properties));

        // when
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Future<Integer>> worked = new ArrayList<>();
        for (IndexForwarder instance : instances) {
            worked.add(pool.submit((Callable<Integer>) () -> instance.drain(1000)));
        }
        int total = 0;
        List<Integer> perInstance = new ArrayList<>();
        for (Future<Integer> future : worked) {
            perInstance.add(future.get());
            total += perInstance.get(perInstance.size() - 1);
        }
        pool.shutdown();

        // then
        List<String> pseudonymsSent = stories.stream().map(Story::pseudonym).toList();
        assertThat(index.index().pseudonyms()).containsAll(pseudonymsSent);
        assertThat(index.received()).as("one submission per genotype, none resent").hasSize(10)
                .extracting(ReferenceIndexServer.Received::duplicate).containsOnly(false);
        assertThat(perInstance).as("both instances worked rows").allMatch(n -> n > 0);
        assertThat(total).isGreaterThanOrEqualTo(10);
    }

    @Test
    void shouldDeliverTheRowsBehindARowWhoseWorkFailsAndCountAuditAndParkTheFailingOne(@Autowired IndexForwarder forwarder,
                                                                                     @Autowired IndexProperties properties) throws Exception {
        // given: four consented genotypes waiting, and first in line one whose consent the store cannot read back
        camel.getRouteController().stopRoute(ROUTE);
        List<Story> stories = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            stories.add(Story.posted(this, true));
        }
        Story poisoned = Story.posted(this, true);
        jdbc.update("""
                update resource_version set content = '{"resourceType":"Consent","status":' where res_pid =
                  (select pid from resource where res_type = 'Consent' and res_id = ?)""", poisoned.consentId());
        jdbc.update("update index_outbox set next_attempt = next_attempt - interval '1 hour' where observation_id = ?",
                poisoned.genotypeId());
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        Logger logger = (Logger) LoggerFactory.getLogger(IndexForwarder.class);
        logger.addAppender(log);
        log.start();

        // when
        try {
            forwarder.drain(100);
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                forwarder.drain(100);
                return status(poisoned.genotypeId()).equals("PARKED");
            });
        } finally {
            logger.detachAppender(log);
        }

        // then
        assertThat(stories).allMatch(this::delivered);
        assertThat(index.index().pseudonyms()).doesNotContain(poisoned.pseudonym());
        assertThat(attempts(poisoned.genotypeId())).isEqualTo(properties.maxAttempts());
        assertThat(outcome(poisoned.genotypeId())).startsWith("NBR-9999 internal error (DataFormatException)")
                .endsWith("parked after " + properties.maxAttempts() + " attempts");
        assertThat(auditedStepsWhere("entity=Observation/" + poisoned.genotypeId())).as("every failed attempt is audited")
                .containsOnly("index-step-failed").hasSize(properties.maxAttempts());
        String row = "Outbox row " + jdbc.queryForObject("select id from index_outbox where observation_id = ? and action = 'SUBMIT'",
                Long.class, poisoned.genotypeId()) + " ";
        List<String> lines = log.list.stream().map(ILoggingEvent::getFormattedMessage).filter(m -> m.startsWith(row)).toList();
        List<ILoggingEvent> traces = log.list.stream()
                .filter(e -> e.getLevel() == Level.ERROR && e.getFormattedMessage().startsWith(row)).toList();
        assertThat(traces).as("one stack trace for the row, not one per attempt").hasSize(1);
        assertThat(traces.get(0).getFormattedMessage()).contains("NBR-9999").contains("DataFormatException")
                .doesNotContain("\"status\"");
        assertThat(lines).filteredOn(m -> m.contains("failed (NBR-9999"))
                .as("one line for each further attempt").hasSize(properties.maxAttempts() - 1);
    }

    @Test
    void shouldLetAConsentReviewWaitWithItsReasonWhenTheNewbornHasNoBirthDateAndDeliverTheRowsBehindIt(
            @Autowired InboundMessageService hl7) {
        // given: a birth record sent without its date of birth (PID-7 empty), the parents' consents in CON, and
        // behind its consent reviews a consented genotype of another newborn
        FhirExamples examples = FhirExamples.story();
        String birth = new String(hl7Sample("adt-a01-newborn-consent-con.hl7", examples), java.nio.charset.StandardCharsets.ISO_8859_1)
                .replace("|ROE|202405010812-0500|M|", "|ROE||M|");
        assertThat(hl7.receive(birth.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)).ackCode()).isEqualTo(AcknowledgmentCode.AA);
        String undated = fhir().search().byUrl("Patient?identifier=urn:oid:2.16.840.1.113883.19.5|GH" + examples.suffix())
                .returnBundle(Bundle.class).execute().getEntryFirstRep().getResource().getIdElement().getIdPart();

        // when
        Story story = Story.posted(this, true);

        // then
        await().atMost(Duration.ofSeconds(20)).until(() -> delivered(story));
        await().atMost(Duration.ofSeconds(20)).until(() -> jdbc.queryForObject(
                "select count(*) from index_outbox where patient_id = ? and action = 'REVIEW' and outcome is null", Long.class, undated) == 0);
        assertThat(jdbc.queryForList("select status || ' ' || attempts || ' ' || outcome from index_outbox where patient_id = ?"
                + " and action = 'REVIEW'", String.class, undated)).isNotEmpty().allSatisfy(row -> assertThat(row)
                .isEqualTo("PENDING 0 the newborn's record has no birth date, and the consent decision depends on her age"));
        assertThat(consentDecisions(undated)).contains("national-index-submission: denied (BIRTH_DATE_UNKNOWN)");
    }

    @Test
    void shouldFindTheNewbornsPseudonymByIdentitySearchOfACorpusGenotypeAndNotASiblingLikeOne() throws Exception {
        // given: a real person's genotype from NIST's population data as the newborn's
        List<String> lines = Files.readAllLines(SharedCorpus.file("genotypes/1036_revised_Cauc_n_361.csv"));
        Map<StrLocus, List<String>> person = nistProfile(lines.get(0), lines.get(7));
        Story story = Story.posted(this, true, person);
        await().atMost(Duration.ofSeconds(20)).until(() -> delivered(story));

        // when
        JsonNode same = search(person, "high");
        JsonNode sibling = search(siblingLike(person), "high");

        // then
        assertThat(same.findValuesAsText("pseudonym")).contains(story.pseudonym());
        assertThat(sibling.findValuesAsText("pseudonym")).doesNotContain(story.pseudonym());
    }

    @Test
    void shouldResolveAMatchedPseudonymToNewbornAndMotherForACaseAndAuditEveryRequest() {
        // given
        Story story = Story.posted(this, true);
        await().atMost(Duration.ofSeconds(20)).until(() -> delivered(story));

        // when
        Parameters found = reidentify(story.pseudonym(), "CASE-2026-0042");

        // then
        Patient newborn = (Patient) found.getParameter("newborn").getResource();
        assertThat(newborn.getIdElement().getIdPart()).isEqualTo(story.newbornId());
        assertThat(newborn.getIdentifier()).extracting(Identifier::getValue).contains(story.examples().mrn());
        assertThat(found.getParameters("mother")).hasSize(1);
        assertThat(found.getParameters("motherPatient")).extracting(p -> ((Patient) p.getResource()).getIdentifierFirstRep().getValue())
                .containsExactly("GHM" + story.examples().suffix());
        assertThat(auditedSteps(story.newbornId())).endsWith("reidentification");
    }

    @Test
    void shouldRefuseReidentificationWithoutACaseOrForAnUnknownOrWithdrawnPseudonymAndAuditIt() {
        // given
        Story story = Story.posted(this, true);
        await().atMost(Duration.ofSeconds(20)).until(() -> delivered(story));
        long before = reidentificationEvents();

        // when / then
        assertThatThrownBy(() -> reidentify(story.pseudonym(), " ")).isInstanceOfSatisfying(InvalidRequestException.class,
                e -> assertThat(e.getMessage()).contains("case reference"));
        assertThatThrownBy(() -> reidentify("AAAAAAAAAAAAAAAAAAAAAAAA", "CASE-1")).isInstanceOf(ResourceNotFoundException.class);
        story.withdrawConsent();
        await().atMost(Duration.ofSeconds(20)).until(() -> jdbc.queryForObject(
                "select count(*) from index_delivery where patient_id = ?", Long.class, story.newbornId()) == 0);
        assertThatThrownBy(() -> reidentify(story.pseudonym(), "CASE-1")).as("withdrawn")
                .isInstanceOf(ResourceNotFoundException.class);
        assertThat(reidentificationEvents() - before).isEqualTo(3);
    }

    @Test
    void shouldShowAnInvestigatorTheTrailOfTheNewbornAPseudonymNamesForACase() throws Exception {
        // given
        Story story = Story.posted(this, true);
        await().atMost(Duration.ofSeconds(20)).until(() -> delivered(story));

        String otherInvestigator = TestTokens.issuer().mint("other-investigator", Role.INVESTIGATOR.scope(), null, Duration.ofHours(1));
        assertThat(trailByPseudonym(story.pseudonym(), "CASE-OTHER-0001", otherInvestigator).statusCode()).isEqualTo(200);
        assertThat(http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/audit/newborn-trail?patient="
                + story.newbornId())).header("Authorization", "Bearer " + TestTokens.of(Role.AUDITOR)).GET().build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);

        // when
        HttpResponse<String> response = trailByPseudonym(story.pseudonym(), "CASE-2026-0077", Role.INVESTIGATOR);

        // then
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).as("another investigation's case and who audited").doesNotContain("CASE-OTHER-0001")
                .doesNotContain("other-investigator").doesNotContain("auditor-test").contains("another user");
        JsonNode trail = JSON.readTree(response.body());
        assertThat(trail.path("patient").asText()).isEqualTo(story.newbornId());
        List<String> titles = trail.path("entries").findValuesAsText("title");
        assertThat(titles).contains("Submission to the national DNA index", "STR genotype created")
                .endsWith("Re-identification of a national index match", "Newborn trail read");
        JsonNode reidentification = trail.path("entries").get(trail.path("entries").size() - 2);
        assertThat(reidentification.path("who").asText()).isEqualTo("investigator-test");
        assertThat(reidentification.path("why").asText()).contains("case CASE-2026-0077");
        assertThat(reidentification.path("address").asText()).as("the browser's, not the console's").isEqualTo("203.0.113.9");
        assertThat(response.body()).doesNotContain(story.pseudonym());
    }

    @Test
    void shouldShowAnAuditorTheWholeLifeOfAGenotypeInTheTrailFromBirthToErasure() throws Exception {
        // given
        Story story = Story.posted(this, true);
        await().atMost(Duration.ofSeconds(20)).until(() -> delivered(story));
        story.withdrawConsent();
        await().atMost(Duration.ofSeconds(20)).until(() -> withdrawn(story));

        // when
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                        + "/audit/newborn-trail?patient=" + story.newbornId())).header("Authorization", "Bearer " + TestTokens.of(Role.AUDITOR))
                .GET().build(), HttpResponse.BodyHandlers.ofString());

        // then
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode entries = JSON.readTree(response.body()).path("entries");
        List<String> steps = new java.util.ArrayList<>();
        entries.forEach(e -> steps.add(e.path("kind").asText() + ": " + e.path("title").asText()));
        assertThat(steps).containsSubsequence("record: Newborn record created", "consent: Consent created",
                "index: Submission to the national DNA index", "consent: Consent updated",
                "index: Profile deleted at the national DNA index", "erasure: Genotype erased with its history");
        assertThat(entries.findValuesAsText("detail")).anySatisfy(detail -> assertThat(detail).startsWith("receipt "));
    }

    @Test
    void shouldRefuseATrailByPseudonymWithoutACaseOrForAnUnknownPseudonymAndATrailByIdToAllButAuditors() throws Exception {
        // given
        Story story = Story.posted(this, true);
        await().atMost(Duration.ofSeconds(20)).until(() -> delivered(story));

        // when / then
        assertThat(trailByPseudonym(story.pseudonym(), " ", Role.INVESTIGATOR).statusCode()).isEqualTo(400);
        assertThat(trailByPseudonym("AAAAAAAAAAAAAAAAAAAAAAAA", "CASE-1", Role.INVESTIGATOR).statusCode()).isEqualTo(404);
        assertThat(trailByPseudonym(story.pseudonym(), "CASE-1", Role.AUDITOR).statusCode()).isEqualTo(403);
        for (Role role : List.of(Role.INVESTIGATOR, Role.HOSPITAL, Role.LAB)) {
            assertThat(http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/audit/newborn-trail?patient="
                    + story.newbornId())).header("Authorization", "Bearer " + TestTokens.of(role)).GET().build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).as("%s by record id", role.id()).isEqualTo(403);
        }
    }

    @Test
    void shouldRefuseReidentificationToEveryRoleButTheInvestigator() {
        // given
        Story story = Story.posted(this, true);
        await().atMost(Duration.ofSeconds(20)).until(() -> index.index().pseudonyms().contains(story.pseudonym()));

        // when / then
        for (Role role : List.of(Role.HOSPITAL, Role.LAB, Role.AUDITOR, Role.ADMIN)) {
            assertThatThrownBy(() -> reidentify(story.pseudonym(), "CASE-2026-0042", role)).as(role.id())
                    .isInstanceOf(ForbiddenOperationException.class);
        }
    }

    @Test
    void shouldEraseAtRetentionAGenotypeWhoseProfilingIsNotConsentedAndKeepAConsentedOne(@Autowired RetentionRun retention) {
        // given
        Story unconsented = Story.posted(this, false);
        Story consented = Story.posted(this, true);
        await().atMost(Duration.ofSeconds(20)).until(() -> delivered(consented));

        // when
        int[] queued = retention.run();

        // then
        assertThat(queued[0]).isGreaterThanOrEqualTo(2);
        await().atMost(Duration.ofSeconds(20)).until(() -> retained(unconsented.genotypeId()) && retained(consented.genotypeId()));
        assertThatThrownBy(() -> fhir().read().resource(Observation.class).withId(unconsented.genotypeId()).execute())
                .isInstanceOf(ResourceGoneException.class);
        assertThat(fhir().read().resource(Observation.class).withId(consented.genotypeId()).execute().getComponent()).isNotEmpty();
        assertThat(index.index().pseudonyms()).contains(consented.pseudonym());
        assertThat(auditedSteps(unconsented.newbornId())).endsWith("genotype-erasure");
    }

    @Test
    void shouldWithdrawAtRetentionTheIndexEntryOfAChildPastTheAgeOfMajorityWithoutHerOwnConsent(
            @Autowired RetentionRun retention) {
        // given: delivered, then the hospital corrects the birth date to one 26 years ago
        Story story = Story.posted(this, true);
        await().atMost(Duration.ofSeconds(20)).until(() -> delivered(story));
        Patient newborn = fhir().read().resource(Patient.class).withId(story.newbornId()).execute();
        newborn.getBirthDateElement().setValueAsString("2000-01-01");
        fhir().update().resource(newborn).execute();

        // when
        int[] queued = retention.run();

        // then
        assertThat(queued[1]).isGreaterThanOrEqualTo(1);
        await().atMost(Duration.ofSeconds(20)).until(() -> withdrawn(story));
        await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.queryForObject("""
                select count(*) from index_outbox where patient_id = ? and reason = 'AGE_OF_MAJORITY' and status = 'DONE'""",
                Long.class, story.newbornId()) == 1);
        assertThatThrownBy(() -> fhir().read().resource(Observation.class).withId(story.genotypeId()).execute())
                .isInstanceOf(ResourceGoneException.class);
    }

    @Test
    void shouldDeliverOnConsentGivenInHl7ConSegmentsAndWithdrawOnConsentRefusedByTheObxConvention(
            @Autowired InboundMessageService hl7) {
        // given: the birth with the parents' consents over HL7 v2.6 (CON), blood spot and genotype over FHIR
        FhirExamples examples = FhirExamples.story();
        Receipt birth = hl7.receive(hl7Sample("adt-a01-newborn-consent-con.hl7", examples));
        assertThat(birth.ackCode()).isEqualTo(AcknowledgmentCode.AA);
        Story story = Story.posted(this, examples, false, null, false);
        await().atMost(Duration.ofSeconds(20)).until(() -> delivered(story));

        // when: a month later the mother refuses index submission, by the OBX convention of v2.5.1
        Receipt update = hl7.receive(hl7Sample("adt-a08-newborn-consent-withdrawn-obx.hl7", examples));

        // then
        assertThat(update.ackCode()).isEqualTo(AcknowledgmentCode.AA);
        await().atMost(Duration.ofSeconds(20)).until(() -> withdrawn(story));
        Bundle consents = fhir().search().byUrl("Consent?patient=Patient/" + story.newbornId()).returnBundle(Bundle.class).execute();
        assertThat(consents.getEntry()).hasSize(4);
        Consent index = consents.getEntry().stream().map(e -> (Consent) e.getResource())
                .filter(c -> c.getProvision().getProvisionFirstRep().getPurposeFirstRep().getCode().equals("national-index-submission"))
                .findFirst().orElseThrow();
        assertThat(index.getStatus()).isEqualTo(Consent.ConsentState.REJECTED);
        assertThat(index.getMeta().getVersionId()).as("the withdrawal is the consent's next version").isEqualTo("2");
    }

    /** A project HL7 sample with the identifiers of a story, so that it meets the story's FHIR posts. */
    private static byte[] hl7Sample(String name, FhirExamples examples) {
        String text = new String(Samples.v2(name), java.nio.charset.StandardCharsets.ISO_8859_1)
                .replace("GHM0098", "GHM" + examples.suffix()).replace("GH0002", "GH" + examples.suffix())
                .replace("V0002", "V" + examples.suffix()).replace("NBR-SAMPLE-00", "NBR-" + examples.suffix() + "-")
                .replace("NBS-CONSENT-0002", "NBS-CONSENT-" + examples.suffix());
        return text.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    // --- the story of one newborn, as hospital and lab post it

    /** One newborn's birth, blood-spot order, optional consent and STR genotype, posted over FHIR. */
    record Story(IndexForwardingIT test, FhirExamples examples, String newbornId, String spotId, String genotypeId,
                 String consentId, String pseudonym) {

        static Story posted(IndexForwardingIT test, boolean consented) {
            return posted(test, consented, null);
        }

        static Story posted(IndexForwardingIT test, boolean consented, Map<StrLocus, List<String>> genotype) {
            return posted(test, FhirExamples.story(), consented, genotype, true);
        }

        /** @param birth whether to post the birth too (false when it came over HL7) */
        static Story posted(IndexForwardingIT test, FhirExamples examples, boolean consented, Map<StrLocus, List<String>> genotype,
                            boolean birth) {
            IGenericClient fhir = test.fhir();
            if (birth) {
                transaction(fhir, examples.json("birth-transaction.json"));
            }
            transaction(fhir, examples.json("blood-spot-order-transaction.json"));
            String consentId = null;
            if (consented) {
                Consent consent = FHIR.newJsonParser().parseResource(Consent.class, examples.json("consent.json"));
                consentId = fhir.create().resource(consent).execute().getId().getIdPart();
            }
            Bundle lab = FHIR.newJsonParser().parseResource(Bundle.class, examples.json("str-genotype-transaction.json"));
            if (genotype != null) {
                lab.getEntry().stream().map(Bundle.BundleEntryComponent::getResource).filter(Observation.class::isInstance)
                        .map(Observation.class::cast).forEach(o -> replaceLoci(o, genotype));
            }
            Bundle written = fhir.transaction().withBundle(lab).execute();
            String genotypeId = written.getEntry().stream().map(e -> e.getResponse().getLocation())
                    .filter(l -> l.startsWith("Observation/")).findFirst().orElseThrow().split("/")[1];
            String newbornId = fhir.search().byUrl("Patient?identifier=urn:oid:2.16.840.1.113883.19.5|" + examples.mrn())
                    .returnBundle(Bundle.class).execute().getEntryFirstRep().getResource().getIdElement().getIdPart();
            String spotId = fhir.search().byUrl("Specimen?identifier=urn:oid:2.16.840.1.113883.19.5.4|" + examples.spot())
                    .returnBundle(Bundle.class).execute().getEntryFirstRep().getResource().getIdElement().getIdPart();
            return new Story(test, examples, newbornId, spotId, genotypeId, consentId, test.pseudonyms.pseudonym(newbornId));
        }

        /** The parents withdraw their consent: the hospital sets it inactive. */
        void withdrawConsent() {
            Consent consent = test.fhir().read().resource(Consent.class).withId(consentId).execute();
            consent.setStatus(Consent.ConsentState.INACTIVE);
            test.fhir().update().resource(consent).execute();
        }

        /** Every name part, identifier value, birth date, address and telecom of the newborn and the mother. */
        List<String> identifyingValues() {
            IGenericClient fhir = test.fhir();
            List<org.hl7.fhir.r4.model.Resource> people = new ArrayList<>();
            people.add(fhir.read().resource(Patient.class).withId(newbornId).execute());
            fhir.search().byUrl("RelatedPerson?patient=Patient/" + newbornId).returnBundle(Bundle.class).execute().getEntry()
                    .forEach(e -> people.add(e.getResource()));
            fhir.search().byUrl("Patient?identifier=urn:oid:2.16.840.1.113883.19.5|GHM" + examples.suffix())
                    .returnBundle(Bundle.class).execute().getEntry().forEach(e -> people.add(e.getResource()));
            List<String> values = new ArrayList<>();
            for (org.hl7.fhir.r4.model.Resource person : people) {
                List<HumanName> names = person instanceof Patient p ? p.getName() : ((RelatedPerson) person).getName();
                List<Identifier> identifiers = person instanceof Patient p ? p.getIdentifier() : ((RelatedPerson) person).getIdentifier();
                names.forEach(n -> {
                    values.add(n.getFamily());
                    n.getGiven().stream().map(StringType::getValue).forEach(values::add);
                });
                identifiers.forEach(i -> values.add(i.getValue()));
                String birthDate = person instanceof Patient p ? p.getBirthDateElement().getValueAsString()
                        : ((RelatedPerson) person).getBirthDateElement().getValueAsString();
                values.add(birthDate);
                values.add(person.getIdElement().getIdPart());
                FHIR.newTerser().getValues(person, "address.line | address.city | address.postalCode | telecom.value")
                        .forEach(v -> values.add(((org.hl7.fhir.r4.model.PrimitiveType<?>) v).getValueAsString()));
            }
            return values.stream().filter(v -> v != null && !v.isBlank()).distinct().toList();
        }

        private static void transaction(IGenericClient fhir, String bundle) {
            fhir.transaction().withBundle(FHIR.newJsonParser().parseResource(Bundle.class, bundle)).execute();
        }

        private static void replaceLoci(Observation genotype, Map<StrLocus, List<String>> loci) {
            genotype.getComponent().clear();
            loci.forEach((locus, alleles) -> genotype.addComponent()
                    .setCode(new CodeableConcept(new Coding(NbrCanonical.STR_LOCUS_SYSTEM, locus.code(), locus.cmfName())))
                    .setValue(new StringType(String.join(",", alleles))));
        }
    }

    // --- helpers

    IGenericClient fhir() {
        FHIR.getRestfulClientFactory().setServerValidationMode(ca.uhn.fhir.rest.client.api.ServerValidationModeEnum.NEVER);
        return TestTokens.authorised(FHIR.newRestfulGenericClient("http://localhost:" + port + "/fhir"));
    }

    private IndexForwarder forwarder(IndexOutbox outbox, RegistryReadService reads, ResourceEraser eraser, MessageStore messages,
                                     PlatformTransactionManager transactions, IndexProperties properties) {
        return new IndexForwarder(outbox, reads, pseudonyms, new IndexClient(properties.url(), properties.requestTimeout()),
                eraser, messages, auditTrail, new IndexAuditEvents(properties.destinationOri(), properties.url().toString()),
                new TransactionTemplate(transactions), properties, Clock.systemUTC(), FHIR,
                new IndexMetrics(new SimpleMeterRegistry()));
    }

    /** The first measurement of a metric, as /actuator/metrics shows it. */
    private double metric(String nameAndTags) throws Exception {
        return JSON.readTree(admin("GET", "/actuator/metrics/" + nameAndTags).body()).path("measurements").get(0).path("value")
                .asDouble();
    }

    private HttpResponse<String> admin(String method, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    private void faults(String query) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + INDEX_PORT
                + "/index/faults?" + query)).POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
    }

    private JsonNode search(Map<StrLocus, List<String>> loci, String stringency) throws Exception {
        CmfWriter cmf = new CmfWriter(new CmfHeader("NDIS00001", "NBR000001", "investigator", "Missing Person"));
        IndexSubmission probe = new IndexSubmission("RESCUEDCHILD", "GlobalFiler", Instant.now(), loci.entrySet().stream()
                .map(e -> LocusGenotype.of(e.getKey(), e.getValue())).toList(), false);
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + INDEX_PORT
                        + "/index/search?stringency=" + stringency)).header("Content-Type", "application/xml")
                .POST(HttpRequest.BodyPublishers.ofString(cmf.write(probe, "S1", Instant.now()))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private HttpResponse<String> trailByPseudonym(String pseudonym, String caseReference, Role role) throws Exception {
        return trailByPseudonym(pseudonym, caseReference, TestTokens.of(role));
    }

    private HttpResponse<String> trailByPseudonym(String pseudonym, String caseReference, String token) throws Exception {
        String body = JSON.writeValueAsString(Map.of("pseudonym", pseudonym, "caseReference", caseReference));
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/audit/newborn-trail/by-pseudonym"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + token)
                // Why: as the console sends it for a browser; only a loopback peer is believed (server.tomcat.remoteip).
                .header("X-Forwarded-For", "203.0.113.9")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private Parameters reidentify(String pseudonym, String caseReference) {
        return reidentify(pseudonym, caseReference, Role.INVESTIGATOR);
    }

    private Parameters reidentify(String pseudonym, String caseReference, Role role) {
        Parameters in = new Parameters();
        in.addParameter("pseudonym", new StringType(pseudonym));
        in.addParameter("caseReference", new StringType(caseReference));
        IGenericClient as = TestTokens.authorised(FHIR.newRestfulGenericClient("http://localhost:" + port + "/fhir"), TestTokens.of(role));
        return as.operation().onType(Patient.class).named("$reidentify").withParameters(in).execute();
    }

    private long reidentificationEvents() {
        return jdbc.queryForObject("""
                select count(*) from audit_event where content like '%"code":"reidentification"%'""", Long.class);
    }

    /** The registry's event codes of the audit events about a newborn, oldest first. */
    private List<String> auditedSteps(String newbornId) {
        return auditedStepsWhere("patient=Patient/" + newbornId);
    }

    /** The registry's event codes of the audit events a search finds, oldest first. */
    private List<String> auditedStepsWhere(String search) {
        Bundle events = fhir().search().byUrl("AuditEvent?" + search + "&_sort=date&_count=100")
                .returnBundle(Bundle.class).execute();
        return events.getEntry().stream().map(e -> (org.hl7.fhir.r4.model.AuditEvent) e.getResource())
                .flatMap(e -> e.getSubtype().stream())
                .filter(c -> org.newbornregistry.adapter.audit.IndexAuditEvents.EVENT_SYSTEM.equals(c.getSystem()))
                .map(Coding::getCode).filter(code -> !code.equals("consent-decision")).toList();
    }

    /** The consent decisions recorded about a newborn, as their outcome descriptions, oldest first. */
    private List<String> consentDecisions(String newbornId) {
        Bundle events = fhir().search().byUrl("AuditEvent?patient=Patient/" + newbornId + "&_sort=date&_count=100")
                .returnBundle(Bundle.class).execute();
        return events.getEntry().stream().map(e -> (org.hl7.fhir.r4.model.AuditEvent) e.getResource())
                .filter(e -> e.getSubtype().stream().anyMatch(c -> "consent-decision".equals(c.getCode())))
                .map(org.hl7.fhir.r4.model.AuditEvent::getOutcomeDesc).toList();
    }

    /** Whether the index holds the story's profile and the registry has committed that it does. */
    private boolean delivered(Story story) {
        return index.index().pseudonyms().contains(story.pseudonym()) && deliveries(story) == 1;
    }

    /** Whether the profile is gone from the index and the registry has committed the withdrawal (and erasure). */
    private boolean withdrawn(Story story) {
        return !index.index().pseudonyms().contains(story.pseudonym()) && deliveries(story) == 0;
    }

    private long deliveries(Story story) {
        return jdbc.queryForObject("select count(*) from index_delivery where patient_id = ?", Long.class, story.newbornId());
    }

    /** Whether retention has decided about a genotype. */
    private boolean retained(String genotypeId) {
        return jdbc.queryForObject("select count(*) from index_outbox where observation_id = ? and action = 'RETAIN' and status = 'DONE'",
                Long.class, genotypeId) > 0;
    }

    private String status(String genotypeId) {
        return jdbc.queryForList("select status from index_outbox where observation_id = ? and action = 'SUBMIT' order by id",
                String.class, genotypeId).stream().reduce((a, b) -> b).orElse("NONE");
    }

    private String outcome(String genotypeId) {
        return jdbc.queryForList("select outcome from index_outbox where observation_id = ? and action = 'SUBMIT' order by id desc limit 1",
                String.class, genotypeId).stream().findFirst().orElse(null);
    }

    private int attempts(String genotypeId) {
        return jdbc.queryForList("select attempts from index_outbox where observation_id = ? and action = 'SUBMIT' order by id desc limit 1",
                Integer.class, genotypeId).stream().findFirst().orElse(0);
    }

    private long reviewsDone(String newbornId) {
        return jdbc.queryForObject("select count(*) from index_outbox where patient_id = ? and action = 'REVIEW' and status = 'DONE'",
                Long.class, newbornId);
    }

    /** One row of NIST's 1036 data set as loci the registry knows. */
    private static Map<StrLocus, List<String>> nistProfile(String header, String row) {
        String[] names = header.split(",", -1);
        String[] cells = row.split(",", -1);
        Map<StrLocus, List<String>> loci = new LinkedHashMap<>();
        for (int column = 2; column + 1 < names.length; column += 2) {
            int c = column;
            StrLocus.find(names[c].replace('_', ' ')).filter(l -> !cells[c].isBlank())
                    .ifPresent(locus -> loci.put(locus, List.of(cells[c], cells[c + 1])));
        }
        return loci;
    }

    /** A relative's profile: one allele shared at each locus, the other one step away. */
    private static Map<StrLocus, List<String>> siblingLike(Map<StrLocus, List<String>> person) {
        Map<StrLocus, List<String>> sibling = new LinkedHashMap<>();
        person.forEach((locus, alleles) -> {
            String other = alleles.get(1);
            String changed = other.matches("\\d+") ? Integer.toString(Integer.parseInt(other) + 1) : other;
            sibling.put(locus, List.of(alleles.get(0), changed));
        });
        return sibling;
    }
}

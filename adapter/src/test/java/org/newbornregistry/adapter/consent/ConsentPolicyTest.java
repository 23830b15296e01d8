package org.newbornregistry.adapter.consent;

import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Consent.ConsentProvisionType;
import org.hl7.fhir.r4.model.Consent.ConsentState;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Period;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.newbornregistry.adapter.consent.ConsentDecision.Reason.BIRTH_DATE_UNKNOWN;
import static org.newbornregistry.adapter.consent.ConsentDecision.Reason.NOT_A_PARENT_OR_GUARDIAN;
import static org.newbornregistry.adapter.consent.ConsentDecision.Reason.NO_CONSENT;
import static org.newbornregistry.adapter.consent.ConsentDecision.Reason.OUTSIDE_PERIOD;
import static org.newbornregistry.adapter.consent.ConsentDecision.Reason.PAST_AGE_OF_MAJORITY;
import static org.newbornregistry.adapter.consent.ConsentDecision.Reason.PERMITTED;
import static org.newbornregistry.adapter.consent.ConsentDecision.Reason.PURPOSE_DENIED;
import static org.newbornregistry.adapter.consent.ConsentDecision.Reason.PURPOSE_NOT_COVERED;
import static org.newbornregistry.adapter.consent.ConsentDecision.Reason.WITHDRAWN;
import static org.newbornregistry.adapter.consent.ConsentGiver.OTHER;
import static org.newbornregistry.adapter.consent.ConsentGiver.PARENT_OR_GUARDIAN;
import static org.newbornregistry.adapter.consent.ConsentGiver.SELF;
import static org.newbornregistry.adapter.consent.RegistryPurpose.INDEX_SUBMISSION;
import static org.newbornregistry.adapter.consent.RegistryPurpose.SCREENING;
import static org.newbornregistry.adapter.consent.RegistryPurpose.STR_PROFILING;

class ConsentPolicyTest {

    private static final LocalDate BORN = LocalDate.of(2024, 5, 1);
    private static final Instant A_MONTH_LATER = Instant.parse("2024-06-01T12:00:00Z");
    private static final Instant GROWN_UP = Instant.parse("2042-06-01T12:00:00Z");

    private final ConsentPolicy policy = new ConsentPolicy(java.time.Period.ofYears(18), ZoneId.of("America/Chicago"));

    /** One row of the table: the consents on record, the question, and the expected answer. */
    record Case(String name, List<GivenConsent> consents, RegistryPurpose purpose, Instant at, ConsentDecision.Reason expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("nothing on record", List.of(), INDEX_SUBMISSION, A_MONTH_LATER, NO_CONSENT),
                new Case("a parent's active consent to the index", List.of(parent(active("2024-05-01T10:00:00Z", permits(INDEX_SUBMISSION)))),
                        INDEX_SUBMISSION, A_MONTH_LATER, PERMITTED),
                new Case("consent to screening only", List.of(parent(active("2024-05-01T10:00:00Z", permits(SCREENING)))),
                        INDEX_SUBMISSION, A_MONTH_LATER, PURPOSE_NOT_COVERED),
                new Case("consent to profiling is not consent to submission", List.of(parent(active("2024-05-01T10:00:00Z", permits(STR_PROFILING)))),
                        INDEX_SUBMISSION, A_MONTH_LATER, PURPOSE_NOT_COVERED),
                new Case("withdrawn (inactive)", List.of(parent(status(ConsentState.INACTIVE, "2024-05-01T10:00:00Z", permits(INDEX_SUBMISSION)))),
                        INDEX_SUBMISSION, A_MONTH_LATER, WITHDRAWN),
                new Case("refused (rejected)", List.of(parent(status(ConsentState.REJECTED, "2024-05-01T10:00:00Z", permits(INDEX_SUBMISSION)))),
                        INDEX_SUBMISSION, A_MONTH_LATER, WITHDRAWN),
                new Case("entered in error counts for nothing", List.of(parent(status(ConsentState.ENTEREDINERROR, "2024-05-01T10:00:00Z", permits(INDEX_SUBMISSION)))),
                        INDEX_SUBMISSION, A_MONTH_LATER, NO_CONSENT),
                new Case("a draft counts for nothing", List.of(parent(status(ConsentState.DRAFT, "2024-05-01T10:00:00Z", permits(INDEX_SUBMISSION)))),
                        INDEX_SUBMISSION, A_MONTH_LATER, NO_CONSENT),
                new Case("the purpose's period has ended", List.of(parent(active("2024-05-01T10:00:00Z", permits(INDEX_SUBMISSION, period(null, "2024-05-15"))))),
                        INDEX_SUBMISSION, A_MONTH_LATER, OUTSIDE_PERIOD),
                new Case("the consent's period has not started", List.of(parent(withPeriod(active("2024-05-01T10:00:00Z", permits(INDEX_SUBMISSION)), period("2024-07-01", null)))),
                        INDEX_SUBMISSION, A_MONTH_LATER, OUTSIDE_PERIOD),
                new Case("an end day lasts all day", List.of(parent(active("2024-05-01T10:00:00Z", permits(INDEX_SUBMISSION, period(null, "2024-06-01"))))),
                        INDEX_SUBMISSION, A_MONTH_LATER, PERMITTED),
                new Case("a nested deny for the purpose", List.of(parent(active("2024-05-01T10:00:00Z", provision(INDEX_SUBMISSION, ConsentProvisionType.DENY, null)))),
                        INDEX_SUBMISSION, A_MONTH_LATER, PURPOSE_DENIED),
                new Case("a purpose without a type takes its parent's", List.of(parent(active("2024-05-01T10:00:00Z", provision(INDEX_SUBMISSION, null, null)))),
                        INDEX_SUBMISSION, A_MONTH_LATER, PERMITTED),
                new Case("given by someone who is not a parent or guardian", List.of(other(active("2024-05-01T10:00:00Z", permits(INDEX_SUBMISSION)))),
                        INDEX_SUBMISSION, A_MONTH_LATER, NOT_A_PARENT_OR_GUARDIAN),
                new Case("superseded by a later deny", List.of(
                        parent(active("2024-05-01T10:00:00Z", permits(INDEX_SUBMISSION))),
                        parent(active("2024-05-20T10:00:00Z", provision(INDEX_SUBMISSION, ConsentProvisionType.DENY, null)))),
                        INDEX_SUBMISSION, A_MONTH_LATER, PURPOSE_DENIED),
                new Case("a later permit supersedes an earlier deny", List.of(
                        parent(active("2024-05-20T10:00:00Z", permits(INDEX_SUBMISSION))),
                        parent(active("2024-05-01T10:00:00Z", provision(INDEX_SUBMISSION, ConsentProvisionType.DENY, null)))),
                        INDEX_SUBMISSION, A_MONTH_LATER, PERMITTED),
                new Case("the latest consent withdrawn, an older one still active", List.of(
                        parent(active("2024-05-01T10:00:00Z", permits(INDEX_SUBMISSION))),
                        parent(status(ConsentState.INACTIVE, "2024-05-20T10:00:00Z", permits(INDEX_SUBMISSION)))),
                        INDEX_SUBMISSION, A_MONTH_LATER, WITHDRAWN),
                new Case("a later deny by someone not entitled does not supersede", List.of(
                        parent(active("2024-05-01T10:00:00Z", permits(INDEX_SUBMISSION))),
                        other(active("2024-05-20T10:00:00Z", provision(INDEX_SUBMISSION, ConsentProvisionType.DENY, null)))),
                        INDEX_SUBMISSION, A_MONTH_LATER, PERMITTED),
                new Case("a consent recorded after the moment asked about", List.of(parent(active("2024-07-01T10:00:00Z", permits(INDEX_SUBMISSION)))),
                        INDEX_SUBMISSION, A_MONTH_LATER, NO_CONSENT),
                new Case("past the age of majority on the parents' consent", List.of(parent(active("2024-05-01T10:00:00Z", permits(INDEX_SUBMISSION)))),
                        INDEX_SUBMISSION, GROWN_UP, PAST_AGE_OF_MAJORITY),
                new Case("past the age of majority, re-consented herself", List.of(
                        parent(active("2024-05-01T10:00:00Z", permits(INDEX_SUBMISSION))),
                        self(active("2042-05-10T10:00:00Z", permits(INDEX_SUBMISSION)))),
                        INDEX_SUBMISSION, GROWN_UP, PERMITTED),
                new Case("her own consent as a minor does not carry past majority", List.of(self(active("2035-05-10T10:00:00Z", permits(INDEX_SUBMISSION)))),
                        INDEX_SUBMISSION, GROWN_UP, PAST_AGE_OF_MAJORITY),
                new Case("grown up, she refuses", List.of(
                        parent(active("2024-05-01T10:00:00Z", permits(INDEX_SUBMISSION))),
                        self(status(ConsentState.REJECTED, "2042-05-10T10:00:00Z", permits(INDEX_SUBMISSION)))),
                        INDEX_SUBMISSION, GROWN_UP, WITHDRAWN));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void shouldDecideEachCaseOfTheTable(Case row) {
        // when
        ConsentDecision decision = policy.decide(row.consents(), BORN, row.purpose(), row.at());

        // then
        assertThat(decision.reason()).isEqualTo(row.expected());
        assertThat(decision.permitted()).isEqualTo(row.expected() == PERMITTED);
    }

    static Stream<Case> casesWithoutBirthDate() {
        return Stream.of(
                new Case("withdrawn whatever her age", List.of(parent(status(ConsentState.INACTIVE, "2024-05-01T10:00:00Z", permits(INDEX_SUBMISSION)))),
                        INDEX_SUBMISSION, A_MONTH_LATER, WITHDRAWN),
                new Case("nothing on record", List.of(), INDEX_SUBMISSION, A_MONTH_LATER, NO_CONSENT),
                new Case("a parent's consent counts only before majority", List.of(parent(active("2024-05-01T10:00:00Z", permits(INDEX_SUBMISSION)))),
                        INDEX_SUBMISSION, A_MONTH_LATER, BIRTH_DATE_UNKNOWN),
                new Case("her own consent counts only after majority", List.of(self(active("2024-05-01T10:00:00Z", permits(INDEX_SUBMISSION)))),
                        INDEX_SUBMISSION, A_MONTH_LATER, BIRTH_DATE_UNKNOWN),
                new Case("both consented: permitted at any age", List.of(
                        parent(active("2024-05-01T10:00:00Z", permits(INDEX_SUBMISSION))),
                        self(active("2024-05-02T10:00:00Z", permits(INDEX_SUBMISSION)))),
                        INDEX_SUBMISSION, A_MONTH_LATER, PERMITTED));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("casesWithoutBirthDate")
    void shouldDecideOnlyWhatHoldsAtAnyAgeWhenTheBirthDateIsUnknown(Case row) {
        // when
        ConsentDecision decision = policy.decide(row.consents(), null, row.purpose(), row.at());

        // then
        assertThat(decision.reason()).isEqualTo(row.expected());
        assertThat(decision.permitted()).isEqualTo(row.expected() == PERMITTED);
    }

    private static int ids;

    private static GivenConsent parent(Consent consent) {
        return new GivenConsent(consent, PARENT_OR_GUARDIAN);
    }

    private static GivenConsent self(Consent consent) {
        return new GivenConsent(consent, SELF);
    }

    private static GivenConsent other(Consent consent) {
        return new GivenConsent(consent, OTHER);
    }

    private static Consent active(String dateTime, Consent.ProvisionComponent nested) {
        return status(ConsentState.ACTIVE, dateTime, nested);
    }

    private static Consent status(ConsentState status, String dateTime, Consent.ProvisionComponent nested) {
        Consent consent = new Consent().setStatus(status).setDateTimeElement(new DateTimeType(dateTime));
        consent.setId("Consent/c" + (++ids));
        consent.getProvision().setType(ConsentProvisionType.PERMIT).addProvision(nested);
        return consent;
    }

    private static Consent withPeriod(Consent consent, Period period) {
        consent.getProvision().setPeriod(period);
        return consent;
    }

    private static Consent.ProvisionComponent permits(RegistryPurpose purpose) {
        return provision(purpose, ConsentProvisionType.PERMIT, null);
    }

    private static Consent.ProvisionComponent permits(RegistryPurpose purpose, Period period) {
        return provision(purpose, ConsentProvisionType.PERMIT, period);
    }

    private static Consent.ProvisionComponent provision(RegistryPurpose purpose, ConsentProvisionType type, Period period) {
        Consent.ProvisionComponent provision = new Consent.ProvisionComponent().addPurpose(purpose.coding());
        if (type != null) {
            provision.setType(type);
        }
        if (period != null) {
            provision.setPeriod(period);
        }
        return provision;
    }

    private static Period period(String start, String end) {
        Period period = new Period();
        if (start != null) {
            period.setStartElement(new DateTimeType(start));
        }
        if (end != null) {
            period.setEndElement(new DateTimeType(end));
        }
        return period;
    }

}

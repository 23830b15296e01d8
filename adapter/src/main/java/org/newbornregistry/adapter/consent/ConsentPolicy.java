package org.newbornregistry.adapter.consent;

import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Period;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.Optional;

/**
 * Decides whether the registry may use a newborn's data for one purpose at one instant, from
 * the Consent resources about the newborn. Pure: the caller loads the consents and says who gave
 * each; the forwarding route asks again at every attempt, so a withdrawal between two attempts
 * stops the second.
 *
 * <p>The rules, opt-in throughout:
 * <ol>
 *   <li>Only consents that were given (active, inactive or rejected; not draft, proposed or
 *       entered in error) and recorded (Consent.dateTime) by the instant count.</li>
 *   <li>A consent concerns a purpose when its provision, or a provision nested in it, names
 *       the purpose; the innermost such provision says permit or deny (a provision without a
 *       type takes its parent's), within the periods of it and its parents.</li>
 *   <li>Before the age of majority only a parent or guardian's consent counts; from then on
 *       only the grown child's own, given since.</li>
 *   <li>Of the consents that count, the latest decides ("superseded by a later consent"): it
 *       must be active (inactive = withdrawn, rejected = refused), permit the purpose, and
 *       cover the instant.</li>
 * </ol>
 */
public final class ConsentPolicy {

    private final java.time.Period ageOfMajority;
    private final ZoneId zone;

    /**
     * @param ageOfMajority when a child decides for herself (18 years where the law says so)
     * @param zone          where birth dates are local dates
     */
    public ConsentPolicy(java.time.Period ageOfMajority, ZoneId zone) {
        this.ageOfMajority = ageOfMajority;
        this.zone = zone;
    }

    /**
     * The decision for {@code purpose} at {@code at} about a newborn born on {@code birthDate}.
     *
     * @param birthDate null when the registry does not know it: the decision is then the one
     *                  that holds at any age, or {@link ConsentDecision.Reason#BIRTH_DATE_UNKNOWN}
     *                  (denied) when it would depend on whether the child has come of age
     */
    public ConsentDecision decide(List<GivenConsent> consents, LocalDate birthDate, RegistryPurpose purpose, Instant at) {
        if (birthDate == null) {
            ConsentDecision asChild = decide(consents, null, false, purpose, at);
            ConsentDecision asAdult = decide(consents, Instant.MIN, true, purpose, at);
            return asChild.permitted() == asAdult.permitted() ? asChild
                    : ConsentDecision.deny(ConsentDecision.Reason.BIRTH_DATE_UNKNOWN, null);
        }
        Instant majority = birthDate.plus(ageOfMajority).atStartOfDay(zone).toInstant();
        return decide(consents, majority, !at.isBefore(majority), purpose, at);
    }

    /** @param majority when the child came or comes of age; only read when {@code grownUp} */
    private ConsentDecision decide(List<GivenConsent> consents, Instant majority, boolean grownUp, RegistryPurpose purpose,
                                   Instant at) {
        List<Concerning> concerning = new ArrayList<>();
        boolean anyGiven = false;
        for (GivenConsent given : consents) {
            Consent consent = given.consent();
            Instant recorded = recorded(consent);
            if (!isGiven(consent) || recorded == null || recorded.isAfter(at)) {
                continue;
            }
            anyGiven = true;
            rule(consent.getProvision(), purpose, null, List.of())
                    .ifPresent(rule -> concerning.add(new Concerning(given, recorded, rule)));
        }
        if (concerning.isEmpty()) {
            return ConsentDecision.deny(anyGiven ? ConsentDecision.Reason.PURPOSE_NOT_COVERED : ConsentDecision.Reason.NO_CONSENT, null);
        }
        List<Concerning> counting = concerning.stream()
                .filter(c -> grownUp
                        ? c.given().giver() == ConsentGiver.SELF && !c.recorded().isBefore(majority)
                        : c.given().giver() == ConsentGiver.PARENT_OR_GUARDIAN)
                .toList();
        if (counting.isEmpty()) {
            boolean entitledOnce = concerning.stream().anyMatch(c -> c.given().giver() != ConsentGiver.OTHER);
            return ConsentDecision.deny(grownUp && entitledOnce
                    ? ConsentDecision.Reason.PAST_AGE_OF_MAJORITY
                    : ConsentDecision.Reason.NOT_A_PARENT_OR_GUARDIAN, null);
        }
        Concerning latest = counting.stream().max(Comparator.comparing(Concerning::recorded)).orElseThrow();
        Consent consent = latest.given().consent();
        String id = consent.getIdElement().toUnqualifiedVersionless().getValue();
        if (consent.getStatus() != Consent.ConsentState.ACTIVE) {
            return ConsentDecision.deny(ConsentDecision.Reason.WITHDRAWN, id);
        }
        if (latest.rule().type() != Consent.ConsentProvisionType.PERMIT) {
            return ConsentDecision.deny(ConsentDecision.Reason.PURPOSE_DENIED, id);
        }
        if (!latest.rule().periods().stream().allMatch(period -> covers(period, at))) {
            return ConsentDecision.deny(ConsentDecision.Reason.OUTSIDE_PERIOD, id);
        }
        return ConsentDecision.permit(id);
    }

    /** A consent that concerns the purpose, when it was given, and what it says. */
    private record Concerning(GivenConsent given, Instant recorded, Rule rule) {
    }

    /** What the innermost provision naming the purpose says, and the periods on the way to it. */
    private record Rule(Consent.ConsentProvisionType type, List<Period> periods) {
    }

    private static Optional<Rule> rule(Consent.ProvisionComponent provision, RegistryPurpose purpose,
                                       Consent.ConsentProvisionType inherited, List<Period> outer) {
        if (provision == null || provision.isEmpty()) {
            return Optional.empty();
        }
        Consent.ConsentProvisionType type = provision.hasType() ? provision.getType() : inherited;
        List<Period> periods = new ArrayList<>(outer);
        if (provision.hasPeriod()) {
            periods.add(provision.getPeriod());
        }
        for (Consent.ProvisionComponent nested : provision.getProvision()) {
            Optional<Rule> inner = rule(nested, purpose, type, periods);
            if (inner.isPresent()) {
                return inner;
            }
        }
        if (provision.getPurpose().stream().anyMatch(purpose::matches)) {
            return Optional.of(new Rule(type, List.copyOf(periods)));
        }
        return Optional.empty();
    }

    private static boolean isGiven(Consent consent) {
        return consent.getStatus() == Consent.ConsentState.ACTIVE || consent.getStatus() == Consent.ConsentState.INACTIVE
                || consent.getStatus() == Consent.ConsentState.REJECTED;
    }

    private static Instant recorded(Consent consent) {
        Date when = consent.hasDateTime() ? consent.getDateTime() : consent.getMeta().getLastUpdated();
        return when == null ? null : when.toInstant();
    }

    /** Whether the instant falls in the period; an end is inclusive to its precision (an end day lasts all day). */
    private static boolean covers(Period period, Instant at) {
        Date start = period.getStart();
        boolean started = start == null || !at.isBefore(start.toInstant());
        if (!period.hasEnd()) {
            return started;
        }
        Date endExclusive = period.getEndElement().getPrecision().add(period.getEnd(), 1);
        return started && at.isBefore(endExclusive.toInstant());
    }
}

package org.newbornregistry.adapter.consent;

import org.hl7.fhir.r4.model.Consent;

/**
 * A Consent about the newborn and who gave it, as the caller resolved Consent.performer (a
 * RelatedPerson's relationship, the mother's own Patient, the newborn herself).
 */
public record GivenConsent(Consent consent, ConsentGiver giver) {
}

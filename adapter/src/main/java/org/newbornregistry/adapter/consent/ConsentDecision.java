package org.newbornregistry.adapter.consent;

/**
 * Whether a purpose is permitted at an instant, why, and which consent decided it (its id,
 * null when none did). The reason is what the audit trail and the operator see.
 */
public record ConsentDecision(boolean permitted, Reason reason, String consentId) {

    /** Why a purpose is permitted or not. */
    public enum Reason {
        /** The latest consent for the purpose, given by someone entitled to, permits it now. */
        PERMITTED,
        /** No consent mentions anything: opt-in means no. */
        NO_CONSENT,
        /** Consents exist, but none mentions this purpose. */
        PURPOSE_NOT_COVERED,
        /** The latest consent for the purpose denies it. */
        PURPOSE_DENIED,
        /** The latest consent for the purpose is withdrawn (inactive) or was refused (rejected). */
        WITHDRAWN,
        /** The latest consent for the purpose does not cover this instant. */
        OUTSIDE_PERIOD,
        /** Only people who are not a parent or guardian consented to the purpose. */
        NOT_A_PARENT_OR_GUARDIAN,
        /** The child is past the age of majority and has not consented herself since. */
        PAST_AGE_OF_MAJORITY,
        /**
         * The registry does not know the child's birth date, and the decision depends on it:
         * whether a parent's consent still counts or only the grown child's own.
         */
        BIRTH_DATE_UNKNOWN
    }

    static ConsentDecision permit(String consentId) {
        return new ConsentDecision(true, Reason.PERMITTED, consentId);
    }

    static ConsentDecision deny(Reason reason, String consentId) {
        return new ConsentDecision(false, reason, consentId);
    }
}

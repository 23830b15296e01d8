package org.newbornregistry.adapter.mapping;

import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.Segment;
import ca.uhn.hl7v2.model.v26.segment.OBX;
import ca.uhn.hl7v2.util.Terser;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Identifier;
import org.newbornregistry.adapter.consent.RegistryPurpose;
import org.newbornregistry.adapter.error.MappingException;
import org.newbornregistry.adapter.error.NbrError;
import org.newbornregistry.adapter.hl7.Hl7Location;
import org.newbornregistry.conformance.NbrCanonical;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

/**
 * A parent's consent in a birth or order message → a Consent following {@code nbr-consent}, one
 * per purpose, upserted by newborn and purpose so that a later message changing the status
 * (withdrawn, refused) becomes the next version of the same Consent: the consent log.
 *
 * <p>Each Consent carries its purpose as a {@code meta.tag} too (the key of the upsert: R4's
 * {@code purpose} search parameter sees only the root provision).
 *
 * <p>Two ways in. From v2.6 the CON segment (HAPI has no class for it; it is read as a generic
 * segment): CON-2 the purpose, CON-3/4 the form, CON-11 the status (table 0498), CON-13 the
 * decision time, CON-14/15 the period, CON-25 the consenter's relationship (table 0548). For
 * older versions, the registry's OBX convention: OBX-3 a purpose coded in the registry-purpose
 * system (coding-system name {@code NBR-CONSENT} or the system URI), OBX-5 {@code Y}/{@code N}
 * (table 0136) or a table 0498 status, OBX-14 the decision time
 * ({@code contracts/mapping/consent.md}).
 *
 * <p>The performer is the newborn's mother (her RelatedPerson in the same message), else the
 * father; the consent policy decides later whether that person may consent. A consenter who is
 * the child herself (CON-25 = 1) is recorded as the newborn's own consent (re-consent at majority).
 */
final class ConsentMapper {

    /** Coding-system name of the registry purposes in OBX-3 and CON-2, beside the system URI itself. */
    static final String CODING_SYSTEM_NAME = "NBR-CONSENT";
    private static final String SCOPE = "http://terminology.hl7.org/CodeSystem/consentscope";
    private static final Map<String, Consent.ConsentState> STATUS_0498 = Map.of(
            "A", Consent.ConsentState.ACTIVE, "L", Consent.ConsentState.ACTIVE, "P", Consent.ConsentState.PROPOSED,
            "R", Consent.ConsentState.REJECTED, "X", Consent.ConsentState.INACTIVE);

    private ConsentMapper() {
    }

    /** Whether an OBX carries a consent under the registry's convention rather than an observation. */
    static boolean isConsent(OBX obx) {
        String system = obx.getObservationIdentifier().getNameOfCodingSystem().getValue();
        return CODING_SYSTEM_NAME.equals(system) || NbrCanonical.REGISTRY_PURPOSE_SYSTEM.equals(system);
    }

    /** Who consented, as placeholders in the message's transaction. */
    record Parties(String newbornRef, String motherRef, String fatherRef) {
        String parent() {
            return motherRef != null ? motherRef : fatherRef;
        }
    }

    /** The Consent of the {@code occurrence}-th CON segment. */
    static void fromCon(Segment con, int occurrence, Parties parties, MappingContext context, TransactionBuilder transaction) {
        Consent consent = base(parties);
        purpose(read(con, 2, 1), at("CON", occurrence, 2), consent);
        form(con, consent, context);
        status(read(con, 11, 1), at("CON", occurrence, 11), consent);
        period(con, occurrence, consent, context);
        performer(read(con, 25, 1), at("CON", occurrence, 25), parties, consent, context);
        upsert(consent, parties, transaction);
    }

    /** The Consent of an OBX under the registry's convention. */
    static void fromObx(OBX obx, int occurrence, Parties parties, MappingContext context, TransactionBuilder transaction) {
        Consent consent = base(parties);
        obxPurpose(obx, occurrence, consent);
        obxStatus(obx, occurrence, consent);
        obxDecided(obx, occurrence, consent, context);
        performer(null, at("OBX", occurrence, 5), parties, consent, context);
        upsert(consent, parties, transaction);
    }

    private static Consent base(Parties parties) {
        Consent consent = new Consent();
        consent.getMeta().addProfile(NbrCanonical.CONSENT);
        consent.setScope(new CodeableConcept(new Coding(SCOPE, "patient-privacy", "Privacy Consent")));
        consent.addCategory(new CodeableConcept(new Coding("http://loinc.org", "59284-0", "Patient Consent")));
        consent.getPatient().setReference(parties.newbornRef());
        consent.getPolicyRule().addCoding().setSystem("http://terminology.hl7.org/CodeSystem/v3-ActCode").setCode("OPTIN");
        consent.getProvision().setType(Consent.ConsentProvisionType.PERMIT);
        return consent;
    }

    @MapsFrom(v2 = "CON-2", fhir = "Consent.provision.provision.purpose", note = "a registry purpose (screening, spot-storage, str-profiling, national-index-submission); another code is an error (AE)")
    static void purpose(String code, Hl7Location location, Consent consent) {
        RegistryPurpose purpose = Arrays.stream(RegistryPurpose.values()).filter(p -> p.code().equals(code)).findFirst()
                .orElseThrow(() -> new MappingException(NbrError.HL7_TABLE_VALUE_NOT_FOUND, location,
                        "is not one of the registry's consent purposes (screening, spot-storage, str-profiling, national-index-submission)"));
        consent.getProvision().addProvision().setType(Consent.ConsentProvisionType.PERMIT)
                .addPurpose(new Coding(NbrCanonical.REGISTRY_PURPOSE_SYSTEM, purpose.code(), null));
    }

    @MapsFrom(v2 = "CON-3", fhir = "Consent.identifier", note = "the consent form's id (CON-4 the form number, when CON-3 is empty), scoped to the sending facility")
    static void form(Segment con, Consent consent, MappingContext context) {
        String form = Optional.ofNullable(read(con, 3, 1)).orElse(read(con, 4, 1));
        if (form != null) {
            consent.addIdentifier(new Identifier().setSystem(context.identifierSystem(null, null, null, "consent-form")).setValue(form));
        }
    }

    @MapsFrom(v2 = "CON-11", fhir = "Consent.status", note = "table 0498: A, L → active; P → proposed; R → rejected; X (rescinded) → inactive; B (bypassed) or empty is an error (AE)")
    static void status(String code, Hl7Location location, Consent consent) {
        Consent.ConsentState state = code == null ? null : STATUS_0498.get(code);
        if (state == null) {
            throw new MappingException(code == null ? NbrError.HL7_REQUIRED_FIELD_MISSING : NbrError.HL7_TABLE_VALUE_NOT_FOUND,
                    location, "a consent needs its status from table 0498 (A, L, P, R or X)");
        }
        consent.setStatus(state);
        if (state == Consent.ConsentState.REJECTED) {
            consent.getProvision().setType(Consent.ConsentProvisionType.DENY);
        }
    }

    @MapsFrom(v2 = "CON-13", fhir = "Consent.dateTime", note = "the decision time; CON-14 when CON-13 is empty; required")
    @MapsFrom(v2 = "CON-14", fhir = "Consent.provision.period.start", note = "effective from; the decision time when empty")
    @MapsFrom(v2 = "CON-15", fhir = "Consent.provision.period.end")
    static void period(Segment con, int occurrence, Consent consent, MappingContext context) {
        String decided = V2Datatypes.dateTime(read(con, 13, 1), at("CON", occurrence, 13), context);
        String effective = V2Datatypes.dateTime(read(con, 14, 1), at("CON", occurrence, 14), context);
        String end = V2Datatypes.dateTime(read(con, 15, 1), at("CON", occurrence, 15), context);
        String when = decided != null ? decided : effective;
        if (when == null) {
            throw new MappingException(NbrError.HL7_REQUIRED_FIELD_MISSING, at("CON", occurrence, 13),
                    "a consent needs the time it was decided (CON-13) or takes effect (CON-14)");
        }
        consent.setDateTimeElement(new DateTimeType(when));
        consent.getProvision().getPeriod().setStartElement(new DateTimeType(effective != null ? effective : when));
        if (end != null) {
            consent.getProvision().getPeriod().setEndElement(new DateTimeType(end));
        }
    }

    @MapsFrom(v2 = "CON-25", fhir = "Consent.performer", note = "table 0548: 2 (parent) or empty → the mother's RelatedPerson, else the father's; 1 (self) → the newborn herself (re-consent at majority); others are kept without a performer, with a warning")
    static void performer(String relationship, Hl7Location location, Parties parties, Consent consent, MappingContext context) {
        if ("1".equals(relationship)) {
            consent.addPerformer().setReference(parties.newbornRef());
        } else if ((relationship == null || "2".equals(relationship)) && parties.parent() != null) {
            consent.addPerformer().setReference(parties.parent());
        } else {
            context.warn(location, "the consenter is not a parent named in this message; the consent is kept without a performer"
                    + " and does not permit anything until one is recorded");
        }
    }

    @MapsFrom(v2 = "OBX-3", fhir = "Consent.provision.provision.purpose", note = "consent convention: the purpose coded in coding system NBR-CONSENT (or the registry-purpose URI)")
    static void obxPurpose(OBX obx, int occurrence, Consent consent) {
        purpose(obx.getObservationIdentifier().getIdentifier().getValue(), at("OBX", occurrence, 3), consent);
    }

    @MapsFrom(v2 = "OBX-5", fhir = "Consent.status", note = "consent convention: Y → active, N → rejected (table 0136), or a table 0498 status")
    static void obxStatus(OBX obx, int occurrence, Consent consent) {
        String value = obx.getObservationValue().length == 0 ? null
                : Terser.getPrimitive(obx.getObservationValue(0).getData(), 1, 1).getValue();
        String status = "Y".equals(value) ? "A" : "N".equals(value) ? "R" : value;
        status(status, at("OBX", occurrence, 5), consent);
    }

    @MapsFrom(v2 = "OBX-14", fhir = "Consent.dateTime", note = "consent convention: the decision time, also the start of the period; required")
    static void obxDecided(OBX obx, int occurrence, Consent consent, MappingContext context) {
        String when = V2Datatypes.dateTime(obx.getDateTimeOfTheObservation().getValue(), at("OBX", occurrence, 14), context);
        if (when == null) {
            throw new MappingException(NbrError.HL7_REQUIRED_FIELD_MISSING, at("OBX", occurrence, 14),
                    "a consent needs the time it was decided");
        }
        consent.setDateTimeElement(new DateTimeType(when));
        consent.getProvision().getPeriod().setStartElement(new DateTimeType(when));
    }

    /** One Consent per newborn and purpose: a later message about the same purpose is its next version. */
    private static void upsert(Consent consent, Parties parties, TransactionBuilder transaction) {
        Coding purpose = consent.getProvision().getProvisionFirstRep().getPurposeFirstRep();
        consent.getMeta().addTag(purpose.getSystem(), purpose.getCode(), null);
        transaction.upsert(consent, Conditions.consent(parties.newbornRef(), purpose));
    }

    private static Hl7Location at(String segment, int occurrence, int field) {
        return Hl7Location.field(segment, field).at(occurrence);
    }

    /** The first component of a field of a segment HAPI holds generically (CON); null when empty. */
    private static String read(Segment segment, int field, int component) {
        try {
            String value = Terser.get(segment, field, 0, component, 1);
            return value == null || value.isBlank() ? null : value.strip();
        } catch (HL7Exception e) {
            return null;
        }
    }
}

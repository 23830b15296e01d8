package org.newbornregistry.adapter.mapping;

import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.model.Segment;
import ca.uhn.hl7v2.model.v26.segment.NK1;
import ca.uhn.hl7v2.model.v26.segment.OBX;
import ca.uhn.hl7v2.model.v26.segment.PID;
import ca.uhn.hl7v2.model.v26.segment.PV1;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.RelatedPerson;
import org.newbornregistry.adapter.error.MappingException;
import org.newbornregistry.adapter.error.NbrError;
import org.newbornregistry.adapter.hl7.Hl7Location;
import org.newbornregistry.conformance.NbrCanonical;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Births and patient updates (ADT^A01/A04/A05/A08/A28/A31) → a transaction that upserts the
 * newborn by identifier, the parents as RelatedPerson of the newborn (the mother also as her own
 * Patient where she has an identifier), the birth Encounter and the birth observations. An A08
 * or A31 therefore updates the records an A01 created instead of duplicating them, with v2
 * update semantics: the newborn, parents and visit keep what the message does not carry and lose
 * what it sends as {@code ""}; a birth observation (OBX) is replaced whole.
 *
 * <p>Segment index: MSH, PID, NK1 (MTH, FTH), PV1, OBX mapped; EVN, PD1, PV2, ROL, AL1, DG1,
 * IN1-3, GT1 and NK1 of other relationships deliberately not mapped
 * ({@code contracts/mapping/adt-newborn.md}); anything else is reported as a warning.
 */
public final class NewbornAdtMapper {

    /** The trigger events this mapper takes. */
    public static final Set<String> EVENTS = Set.of("A01", "A04", "A05", "A08", "A28", "A31");

    /** Identifier types (v2-0203) that name a patient record: medical record number, patient internal and external id. */
    private static final Set<String> PATIENT_IDENTIFIER_TYPES = Set.of("MR", "PI", "PT");

    static final Set<String> MAPPED = Set.of("MSH", "PID", "NK1", "PV1", "OBX", "CON");
    static final Set<String> IGNORED = Set.of("EVN", "PD1", "PV2", "ROL", "AL1", "DG1", "IN1", "IN2", "IN3", "GT1", "SFT", "NTE", "DB1", "ACC", "UB1", "UB2", "PR1", "DRG", "OBR");

    private NewbornAdtMapper() {
    }

    /** Maps a parsed ADT message. */
    public static MappedMessage map(Message message, MappingContext context) {
        TransactionBuilder transaction = new TransactionBuilder();
        PID pid = null;
        PV1 pv1 = null;
        Map<String, NK1> parents = new LinkedHashMap<>();
        Map<OBX, Integer> observations = new LinkedHashMap<>();
        Map<OBX, Integer> consentObservations = new LinkedHashMap<>();
        Map<Segment, Integer> consents = new LinkedHashMap<>();
        for (Segments.Found found : Segments.of(message)) {
            switch (found.name()) {
                case "PID" -> pid = pid == null ? (PID) found.segment() : pid;
                case "PV1" -> pv1 = pv1 == null ? (PV1) found.segment() : pv1;
                case "NK1" -> parent((NK1) found.segment(), found.occurrence(), parents, context);
                case "OBX" -> (ConsentMapper.isConsent((OBX) found.segment()) ? consentObservations : observations)
                        .put((OBX) found.segment(), found.occurrence());
                case "CON" -> consents.put(found.segment(), found.occurrence());
                default -> {
                    if (!MAPPED.contains(found.name()) && !IGNORED.contains(found.name())) {
                        context.warn(Hl7Location.segment(found.name(), found.occurrence()), "segment is not mapped");
                    }
                }
            }
        }
        if (pid == null) {
            throw new MappingException(NbrError.HL7_REQUIRED_FIELD_MISSING, Hl7Location.segment("PID", 1),
                    "a birth or patient update needs a PID segment");
        }

        String newbornRef = newborn(pid, context, transaction);
        ConsentMapper.Parties parties = parents(pid, parents, newbornRef, context, transaction);
        consents.forEach((con, occurrence) -> ConsentMapper.fromCon(con, occurrence, parties, context, transaction));
        consentObservations.forEach((obx, occurrence) -> ConsentMapper.fromObx(obx, occurrence, parties, context, transaction));

        String encounterRef = null;
        if (pv1 != null) {
            Encounter encounter = Pv1EncounterMapper.map(pv1, newbornRef, context);
            attending(pv1, encounter, new Participants(transaction, context));
            encounterRef = transaction.update(encounter, encounter.hasIdentifier()
                    ? Conditions.identifier(encounter.getIdentifierFirstRep())
                    : Conditions.subject(newbornRef));
        }
        for (Map.Entry<OBX, Integer> obx : observations.entrySet()) {
            Observation observation = ObxObservationMapper.map(obx.getKey(), obx.getValue(), newbornRef, context);
            if (encounterRef != null) {
                observation.getEncounter().setReference(encounterRef);
            }
            transaction.upsert(observation, Conditions.subjectAndCode(newbornRef, observation.getCode().getCodingFirstRep()));
        }
        return new MappedMessage(transaction.build(), context.warnings());
    }

    /**
     * Keeps the NK1 of a parent (MTH, FTH) in {@code parents}: the first of each role; a second is
     * reported. Next of kin of other relationships are deliberately not mapped.
     */
    static void parent(NK1 nk1, int occurrence, Map<String, NK1> parents, MappingContext context) {
        String role = Nk1RelatedPersonMapper.parentRole(nk1);
        if (role != null && parents.putIfAbsent(role, nk1) != null) {
            context.warn(Hl7Location.segment("NK1", occurrence), "a second " + role + " next of kin; only the first is mapped");
        }
    }

    /**
     * The newborn of a PID, upserted by its key identifier: whoever sends the hospital's own
     * demographics (a birth, an update, an order) updates the one record. Returns its placeholder.
     */
    static String newborn(PID pid, MappingContext context, TransactionBuilder transaction) {
        Patient newborn = PidPatientMapper.map(pid, context);
        return transaction.update(newborn, Conditions.identifier(keyIdentifier(newborn)));
    }

    /**
     * The parents of the newborn: the mother from NK1 MTH and PID-21 (and as her own Patient where
     * she has an identifier), the father from NK1 FTH, each upserted as the newborn's RelatedPerson.
     *
     * @return the newborn and the parents' placeholders, for consents given in the same message
     */
    static ConsentMapper.Parties parents(PID pid, Map<String, NK1> parents, String newbornRef, MappingContext context,
                        TransactionBuilder transaction) {
        RelatedPerson mother = parents.containsKey("MTH")
                ? Nk1RelatedPersonMapper.map(parents.get("MTH"), "MTH", newbornRef, context)
                : null;
        if (pid.getMotherSIdentifierReps() > 0) {
            if (mother == null) {
                mother = new RelatedPerson().setActive(true);
                mother.getPatient().setReference(newbornRef);
                mother.addRelationship().addCoding().setSystem(Nk1RelatedPersonMapper.ROLE_CODE).setCode("MTH");
                mother.getMeta().addProfile(NbrCanonical.MOTHER);
            }
            Nk1RelatedPersonMapper.mothersIdentifier(pid, mother, context);
        }
        String motherRef = null;
        if (mother != null) {
            motherRef = transaction.update(mother, Conditions.parent(newbornRef, "MTH"));
            motherAsPatient(mother, motherRef, transaction);
        }
        String fatherRef = null;
        if (parents.containsKey("FTH")) {
            RelatedPerson father = Nk1RelatedPersonMapper.map(parents.get("FTH"), "FTH", newbornRef, context);
            fatherRef = transaction.update(father, Conditions.parent(newbornRef, "FTH"));
        }
        return new ConsentMapper.Parties(newbornRef, motherRef, fatherRef);
    }

    @MapsFrom(v2 = "PV1-7", fhir = "Encounter.participant", note = "type ATND; a Practitioner per identifier, created if absent")
    static void attending(PV1 pv1, Encounter encounter, Participants participants) {
        for (int i = 0; i < pv1.getAttendingDoctorReps(); i++) {
            var doctor = participants.practitioner(pv1.getAttendingDoctor(i));
            if (doctor != null) {
                encounter.addParticipant().setIndividual(doctor).addType().addCoding()
                        .setSystem("http://terminology.hl7.org/CodeSystem/v3-ParticipationType").setCode("ATND");
            }
        }
    }

    private static boolean isPatientIdentifier(Identifier identifier) {
        return identifier.getType().getCoding().stream().anyMatch(c -> PATIENT_IDENTIFIER_TYPES.contains(c.getCode()));
    }

    /** The identifier the newborn is matched by: the medical record number if there is one, else the first. */
    static Identifier keyIdentifier(Patient patient) {
        return patient.getIdentifier().stream()
                .filter(i -> i.getType().getCoding().stream().anyMatch(c -> "MR".equals(c.getCode())))
                .findFirst().orElse(patient.getIdentifierFirstRep());
    }

    /**
     * The mother's own Patient, where she has a patient identifier (v2-0203 MR, PI or PT) with a
     * system: created if absent (an existing record of hers is not overwritten by her baby's
     * message) and linked to the RelatedPerson as the same person. Other identifiers (a social
     * security number, often partial or a placeholder) are not safe keys for a person.
     */
    private static void motherAsPatient(RelatedPerson mother, String motherRef, TransactionBuilder transaction) {
        mother.getIdentifier().stream().filter(Identifier::hasSystem).filter(NewbornAdtMapper::isPatientIdentifier)
                .findFirst().ifPresent(identifier -> {
            Patient patient = new Patient();
            patient.addIdentifier(identifier.copy().setUse(null));
            mother.getName().forEach(name -> patient.addName(name.copy()));
            patient.setGender(org.hl7.fhir.r4.model.Enumerations.AdministrativeGender.FEMALE);
            if (mother.hasBirthDate()) {
                patient.setBirthDateElement(mother.getBirthDateElement().copy());
            }
            patient.addLink().setType(Patient.LinkType.SEEALSO).getOther().setReference(motherRef);
            transaction.createIfAbsent(patient, Conditions.identifier(identifier));
        });
    }
}

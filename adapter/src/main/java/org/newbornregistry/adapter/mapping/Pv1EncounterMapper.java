package org.newbornregistry.adapter.mapping;

import ca.uhn.hl7v2.model.v26.segment.PV1;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Identifier;
import org.newbornregistry.adapter.hl7.Hl7Location;
import org.newbornregistry.conformance.NbrCanonical;

import java.util.Locale;

/**
 * PV1 → the birth Encounter, after the guide's PV1[Encounter] map. An update keeps what PV1 does
 * not send: the class and status it must fill in are taken only where the record has none, and a
 * discharge (PV1-45) sent as {@code ""} reopens the visit ({@link V2Update}).
 */
final class Pv1EncounterMapper {

    private static final String ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode";

    private Pv1EncounterMapper() {
    }

    /** The Encounter of a PV1; {@code patient} is the newborn's reference. */
    static Encounter map(PV1 pv1, String patient, MappingContext context) {
        Encounter encounter = new Encounter();
        encounter.getMeta().addProfile(NbrCanonical.BIRTH_ENCOUNTER);
        encounter.getSubject().setReference(patient);
        encounterClass(pv1, encounter);
        admissionType(pv1, encounter, context);
        visitNumber(pv1, encounter, context);
        period(pv1, encounter, context);
        return encounter;
    }

    @MapsFrom(v2 = "PV1-2", fhir = "Encounter.class", note = "I→IMP, O→AMB, E→EMER, P→PRENC, R/B→IMP; status from PV1-45")
    static void encounterClass(PV1 pv1, Encounter encounter) {
        String patientClass = V2Values.text(pv1.getPatientClass());
        if (patientClass == null) {
            V2Update.defaulted(encounter, "class");
        }
        String code = patientClass == null ? "IMP" : switch (patientClass.toUpperCase(Locale.ROOT)) {
            case "O" -> "AMB";
            case "E" -> "EMER";
            case "P" -> "PRENC";
            default -> "IMP";
        };
        encounter.setClass_(new Coding(ACT_CODE, code, null));
    }

    @MapsFrom(v2 = "PV1-4", fhir = "Encounter.type", note = "table 0007; N = newborn")
    static void admissionType(PV1 pv1, Encounter encounter, MappingContext context) {
        if (V2Values.isExplicitNull(pv1.getAdmissionType())) {
            V2Update.cleared(encounter, "type");
        }
        String type = V2Values.text(pv1.getAdmissionType());
        if (type != null) {
            encounter.addType().addCoding().setSystem("http://terminology.hl7.org/CodeSystem/v2-0007").setCode(type);
        }
    }

    @MapsFrom(v2 = "PV1-19", fhir = "Encounter.identifier")
    static void visitNumber(PV1 pv1, Encounter encounter, MappingContext context) {
        Identifier identifier = V2Datatypes.identifier(pv1.getVisitNumber(), context);
        if (identifier != null) {
            encounter.addIdentifier(identifier);
        }
    }

    @MapsFrom(v2 = "PV1-44", fhir = "Encounter.period.start", note = "PV1-45 to period.end; status finished when PV1-45 is sent")
    static void period(PV1 pv1, Encounter encounter, MappingContext context) {
        String start = V2Datatypes.dateTime(V2Values.text(pv1.getAdmitDateTime()), Hl7Location.field("PV1", 44), context);
        String end = V2Datatypes.dateTime(V2Values.text(pv1.getDischargeDateTime()), Hl7Location.field("PV1", 45), context);
        if (start != null) {
            encounter.getPeriod().getStartElement().setValueAsString(start);
        }
        if (end != null) {
            encounter.getPeriod().getEndElement().setValueAsString(end);
        }
        if (V2Values.isExplicitNull(pv1.getAdmitDateTime())) {
            V2Update.cleared(encounter, "period.start");
        }
        boolean reopened = V2Values.isExplicitNull(pv1.getDischargeDateTime());
        if (reopened) {
            V2Update.cleared(encounter, "period.end");
        }
        encounter.setStatus(end != null ? Encounter.EncounterStatus.FINISHED : Encounter.EncounterStatus.INPROGRESS);
        if (end == null && !reopened) {
            V2Update.defaulted(encounter, "status");
        }
    }
}

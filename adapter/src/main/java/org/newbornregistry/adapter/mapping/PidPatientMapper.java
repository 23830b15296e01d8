package org.newbornregistry.adapter.mapping;

import ca.uhn.hl7v2.model.v26.datatype.CX;
import ca.uhn.hl7v2.model.v26.datatype.XAD;
import ca.uhn.hl7v2.model.v26.datatype.XPN;
import ca.uhn.hl7v2.model.v26.datatype.XTN;
import ca.uhn.hl7v2.model.v26.segment.PID;
import org.hl7.fhir.r4.model.Address;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.StringType;
import org.newbornregistry.adapter.error.MappingException;
import org.newbornregistry.adapter.error.NbrError;
import org.newbornregistry.adapter.hl7.Hl7Location;
import org.newbornregistry.conformance.NbrCanonical;

import java.util.Locale;

/**
 * PID → the newborn's Patient, after the HL7 V2-to-FHIR guide's PID[Patient] map (table:
 * {@code contracts/mapping/adt-newborn.md}, rows PID-*). Newborn specifics: the time of
 * birth goes into the patient-birthTime extension next to the birth date, and PID-24/25's
 * inconsistent combinations are resolved as the table says, with a warning. A field sent as
 * {@code ""} clears its element when the Patient updates a stored one ({@link V2Update}).
 */
final class PidPatientMapper {

    static final String BIRTH_TIME = "http://hl7.org/fhir/StructureDefinition/patient-birthTime";
    static final String MOTHERS_MAIDEN_NAME = "http://hl7.org/fhir/StructureDefinition/patient-mothersMaidenName";
    static final String BIRTH_PLACE = "http://hl7.org/fhir/StructureDefinition/patient-birthPlace";

    private PidPatientMapper() {
    }

    /** The Patient of a PID. */
    static Patient map(PID pid, MappingContext context) {
        Patient patient = new Patient();
        patient.getMeta().addProfile(NbrCanonical.NEWBORN_PATIENT);
        identifiers(pid, patient, context);
        names(pid, patient);
        mothersMaidenName(pid, patient);
        birthDate(pid, patient, context);
        gender(pid, patient, context);
        addresses(pid, patient);
        telecoms(pid, patient);
        birthPlace(pid, patient);
        multipleBirth(pid, patient, context);
        return patient;
    }

    @MapsFrom(v2 = "PID-3", fhir = "Patient.identifier",
            note = "system from CX-4: OID/URI as is, a local namespace scoped to MSH-4; CX-5 to type (v2-0203)")
    static void identifiers(PID pid, Patient patient, MappingContext context) {
        for (CX cx : pid.getPatientIdentifierList()) {
            Identifier identifier = V2Datatypes.identifier(cx, context);
            if (identifier != null) {
                patient.addIdentifier(identifier);
            }
        }
        if (!patient.hasIdentifier()) {
            throw new MappingException(NbrError.HL7_REQUIRED_FIELD_MISSING, Hl7Location.field("PID", 3),
                    "the newborn needs at least one identifier");
        }
    }

    @MapsFrom(v2 = "PID-5", fhir = "Patient.name", note = "XPN-7 NB (newborn name) becomes use=temp")
    static void names(PID pid, Patient patient) {
        if (V2Values.isExplicitNull(pid.getPatientName())) {
            V2Update.cleared(patient, "name");
        }
        for (XPN xpn : pid.getPatientName()) {
            HumanName name = V2Datatypes.name(xpn);
            if (name != null) {
                patient.addName(name);
            }
        }
    }

    @MapsFrom(v2 = "PID-6", fhir = "Patient.extension(patient-mothersMaidenName)", note = "family name of the first repetition")
    static void mothersMaidenName(PID pid, Patient patient) {
        if (V2Values.isExplicitNull(pid.getMotherSMaidenName())) {
            V2Update.cleared(patient, V2Update.extension(MOTHERS_MAIDEN_NAME));
        }
        if (pid.getMotherSMaidenNameReps() > 0) {
            String family = V2Values.text(pid.getMotherSMaidenName(0).getFamilyName().getSurname());
            if (family != null) {
                patient.addExtension(MOTHERS_MAIDEN_NAME, new StringType(family));
            }
        }
    }

    @MapsFrom(v2 = "PID-7", fhir = "Patient.birthDate",
            note = "calendar date as sent; with a time also the patient-birthTime extension, offset from the default zone if none")
    static void birthDate(PID pid, Patient patient, MappingContext context) {
        if (V2Values.isExplicitNull(pid.getDateTimeOfBirth())) {
            V2Update.cleared(patient, "birthDate");
        }
        String dtm = V2Values.text(pid.getDateTimeOfBirth());
        Hl7Location location = Hl7Location.field("PID", 7);
        String dateTime = V2Datatypes.dateTime(dtm, location, context);
        if (dateTime == null) {
            return;
        }
        patient.getBirthDateElement().setValueAsString(V2Datatypes.date(dtm, location, context));
        if (dateTime.length() > 10) {
            patient.getBirthDateElement().addExtension(BIRTH_TIME, new DateTimeType(dateTime));
        }
    }

    @MapsFrom(v2 = "PID-8", fhir = "Patient.gender", note = "F, M; O, A, N to other; U to unknown")
    static void gender(PID pid, Patient patient, MappingContext context) {
        if (V2Values.isExplicitNull(pid.getAdministrativeSex())) {
            V2Update.cleared(patient, "gender");
        }
        String sex = V2Values.text(pid.getAdministrativeSex());
        if (sex == null) {
            return;
        }
        AdministrativeGender gender = switch (sex.toUpperCase(Locale.ROOT)) {
            case "F" -> AdministrativeGender.FEMALE;
            case "M" -> AdministrativeGender.MALE;
            case "O", "A", "N" -> AdministrativeGender.OTHER;
            case "U" -> AdministrativeGender.UNKNOWN;
            default -> null;
        };
        if (gender == null) {
            throw new MappingException(NbrError.HL7_TABLE_VALUE_NOT_FOUND, Hl7Location.field("PID", 8),
                    "is not a code of HL7 table 0001");
        }
        patient.setGender(gender);
    }

    @MapsFrom(v2 = "PID-11", fhir = "Patient.address")
    static void addresses(PID pid, Patient patient) {
        if (V2Values.isExplicitNull(pid.getPatientAddress())) {
            V2Update.cleared(patient, "address");
        }
        for (XAD xad : pid.getPatientAddress()) {
            Address address = V2Datatypes.address(xad);
            if (address != null) {
                patient.addAddress(address);
            }
        }
    }

    @MapsFrom(v2 = "PID-13", fhir = "Patient.telecom", note = "PID-14 (business phone) is not mapped for newborns")
    static void telecoms(PID pid, Patient patient) {
        if (V2Values.isExplicitNull(pid.getPhoneNumberHome())) {
            V2Update.cleared(patient, "telecom");
        }
        for (XTN xtn : pid.getPhoneNumberHome()) {
            ContactPoint telecom = V2Datatypes.telecom(xtn);
            if (telecom != null) {
                patient.addTelecom(telecom);
            }
        }
    }

    @MapsFrom(v2 = "PID-23", fhir = "Patient.extension(patient-birthPlace)", note = "as Address.text")
    static void birthPlace(PID pid, Patient patient) {
        if (V2Values.isExplicitNull(pid.getBirthPlace())) {
            V2Update.cleared(patient, V2Update.extension(BIRTH_PLACE));
        }
        String place = V2Values.text(pid.getBirthPlace());
        if (place != null) {
            patient.addExtension(BIRTH_PLACE, new Address().setText(place));
        }
    }

    @MapsFrom(v2 = "PID-24", fhir = "Patient.multipleBirth[x]",
            note = "with PID-25: Y+n → integer n; Y → true; N → false; N+n>1 → integer n (warning); letters A, B → 1, 2 (warning)")
    static void multipleBirth(PID pid, Patient patient, MappingContext context) {
        if (V2Values.isExplicitNull(pid.getMultipleBirthIndicator()) && V2Values.text(pid.getBirthOrder()) == null) {
            V2Update.cleared(patient, "multipleBirth");
        }
        String indicator = V2Values.text(pid.getMultipleBirthIndicator());
        String orderText = V2Values.text(pid.getBirthOrder());
        Hl7Location orderAt = Hl7Location.field("PID", 25);
        Integer order = null;
        if (orderText != null) {
            if (orderText.matches("\\d{1,2}")) {
                order = Integer.parseInt(orderText);
            } else if (orderText.matches("[A-Za-z]")) {
                order = Character.toUpperCase(orderText.charAt(0)) - 'A' + 1;
                context.warn(orderAt, "birth order sent as a letter; read as its position in the alphabet");
            } else {
                context.warn(orderAt, "birth order is not a number; not mapped");
            }
        }
        boolean yes = "Y".equalsIgnoreCase(indicator);
        boolean no = "N".equalsIgnoreCase(indicator);
        if (indicator != null && !yes && !no) {
            context.warn(Hl7Location.field("PID", 24), "is not Y or N; only PID-25 used");
        }
        if (order != null && (yes || order > 1 || !no)) {
            if (no) {
                context.warn(Hl7Location.field("PID", 24), "says single birth but PID-25 gives a birth order above 1; the order is kept");
            }
            patient.setMultipleBirth(new IntegerType(order));
        } else if (yes || no) {
            patient.setMultipleBirth(new BooleanType(yes));
        }
    }
}

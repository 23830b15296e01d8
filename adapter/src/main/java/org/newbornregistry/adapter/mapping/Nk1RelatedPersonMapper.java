package org.newbornregistry.adapter.mapping;

import ca.uhn.hl7v2.model.v26.datatype.CX;
import ca.uhn.hl7v2.model.v26.datatype.XAD;
import ca.uhn.hl7v2.model.v26.datatype.XPN;
import ca.uhn.hl7v2.model.v26.datatype.XTN;
import ca.uhn.hl7v2.model.v26.segment.NK1;
import ca.uhn.hl7v2.model.v26.segment.PID;
import org.hl7.fhir.r4.model.Address;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.RelatedPerson;
import org.newbornregistry.adapter.hl7.Hl7Location;
import org.newbornregistry.conformance.NbrCanonical;

import java.util.Locale;

/**
 * NK1 (and PID-21) → the parents as RelatedPerson of the newborn, after the guide's
 * NK1[RelatedPerson] map. Only the mother (MTH) and father (FTH) are kept: the registry needs
 * parents, and other next of kin are listed as not mapped in the table.
 */
final class Nk1RelatedPersonMapper {

    /** v3 RoleCode, the system RelatedPerson.relationship uses for family members. */
    static final String ROLE_CODE = "http://terminology.hl7.org/CodeSystem/v3-RoleCode";

    private Nk1RelatedPersonMapper() {
    }

    /** The relationship code (MTH, FTH) of an NK1, or null for other next of kin. */
    @MapsFrom(v2 = "NK1-3", fhir = "RelatedPerson.relationship", note = "MTH and FTH (table 0063) to v3 RoleCode; others not mapped")
    static String parentRole(NK1 nk1) {
        String code = V2Values.text(nk1.getRelationship().getIdentifier());
        if (code == null) {
            return null;
        }
        String upper = code.toUpperCase(Locale.ROOT);
        return upper.equals("MTH") || upper.equals("FTH") ? upper : null;
    }

    /** The RelatedPerson of a parent's NK1; {@code patient} is the newborn's reference. */
    static RelatedPerson map(NK1 nk1, String role, String patient, MappingContext context) {
        RelatedPerson parent = new RelatedPerson();
        parent.setActive(true);
        parent.getPatient().setReference(patient);
        parent.addRelationship().addCoding().setSystem(ROLE_CODE).setCode(role);
        if ("MTH".equals(role)) {
            parent.getMeta().addProfile(NbrCanonical.MOTHER);
        }
        names(nk1, parent);
        addresses(nk1, parent);
        telecoms(nk1, parent);
        birthDate(nk1, parent, context);
        identifiers(nk1, parent, context);
        return parent;
    }

    @MapsFrom(v2 = "NK1-2", fhir = "RelatedPerson.name")
    static void names(NK1 nk1, RelatedPerson parent) {
        if (V2Values.isExplicitNull(nk1.getNk12_Name())) {
            V2Update.cleared(parent, "name");
        }
        for (XPN xpn : nk1.getNk12_Name()) {
            HumanName name = V2Datatypes.name(xpn);
            if (name != null) {
                parent.addName(name);
            }
        }
    }

    @MapsFrom(v2 = "NK1-4", fhir = "RelatedPerson.address")
    static void addresses(NK1 nk1, RelatedPerson parent) {
        if (V2Values.isExplicitNull(nk1.getAddress())) {
            V2Update.cleared(parent, "address");
        }
        for (XAD xad : nk1.getAddress()) {
            Address address = V2Datatypes.address(xad);
            if (address != null) {
                parent.addAddress(address);
            }
        }
    }

    @MapsFrom(v2 = "NK1-5", fhir = "RelatedPerson.telecom")
    static void telecoms(NK1 nk1, RelatedPerson parent) {
        if (V2Values.isExplicitNull(nk1.getNk15_PhoneNumber())) {
            V2Update.cleared(parent, "telecom");
        }
        for (XTN xtn : nk1.getNk15_PhoneNumber()) {
            ContactPoint telecom = V2Datatypes.telecom(xtn);
            if (telecom != null) {
                parent.addTelecom(telecom);
            }
        }
    }

    @MapsFrom(v2 = "NK1-16", fhir = "RelatedPerson.birthDate")
    static void birthDate(NK1 nk1, RelatedPerson parent, MappingContext context) {
        if (V2Values.isExplicitNull(nk1.getNk116_DateTimeOfBirth())) {
            V2Update.cleared(parent, "birthDate");
        }
        String date = V2Datatypes.date(V2Values.text(nk1.getNk116_DateTimeOfBirth()), Hl7Location.field("NK1", 16), context);
        if (date != null) {
            parent.getBirthDateElement().setValueAsString(date);
        }
    }

    /**
     * A parent's own identifiers (her MRN, a national id) name the person, not this
     * RelatedPerson: a mother of twins is the RelatedPerson of each. They are therefore kept
     * with use {@code secondary}, searchable but not claimed by one record.
     */
    @MapsFrom(v2 = "NK1-33", fhir = "RelatedPerson.identifier", note = "use secondary: the parent's identifiers are shared by her RelatedPerson of each child (the twin sample sends"
            + " the mother's MRN in NK1-33 and PID-21 alike); a value of only zeros (000-00-0000) is a placeholder, not kept, with a warning")
    static void identifiers(NK1 nk1, RelatedPerson parent, MappingContext context) {
        for (CX cx : nk1.getNextOfKinAssociatedPartySIdentifiers()) {
            Identifier identifier = V2Datatypes.identifier(cx, context);
            if (identifier != null && !isPlaceholder(identifier, Hl7Location.field("NK1", 33), context)) {
                parent.addIdentifier(identifier.setUse(Identifier.IdentifierUse.SECONDARY));
            }
        }
    }

    /**
     * Whether an identifier is a placeholder such as SSN 000-00-0000, which senders put where
     * they have none. Kept, it would make every parent sent with it the same person, and the
     * registry holds an identifier once.
     */
    static boolean isPlaceholder(Identifier identifier, Hl7Location location, MappingContext context) {
        if (!identifier.getValue().matches("[0 .-]+")) {
            return false;
        }
        context.warn(location, "an identifier of only zeros is a placeholder; not kept");
        return true;
    }

    /**
     * PID-21 (mother's identifier) for the mother. Real senders put her <em>name</em> there:
     * letters in CX-1 and CX-2 and no assigning authority read as a name, with a warning.
     */
    @MapsFrom(v2 = "PID-21", fhir = "RelatedPerson(MTH).identifier",
            note = "use secondary, as NK1-33; a value that reads as a name (letters in CX-1 and CX-2, no CX-4) becomes the mother's name, with a warning")
    static void mothersIdentifier(PID pid, RelatedPerson mother, MappingContext context) {
        for (int i = 0; i < pid.getMotherSIdentifierReps(); i++) {
            CX cx = pid.getMotherSIdentifier(i);
            String first = V2Values.text(cx.getIDNumber());
            String second = V2Values.text(cx.getIdentifierCheckDigit());
            boolean noAuthority = V2Values.text(cx.getAssigningAuthority()) == null
                    && V2Values.text(cx.getAssigningAuthority().getUniversalID()) == null;
            if (first != null && second != null && noAuthority && first.matches("[\\p{L} '.-]+") && second.matches("[\\p{L} '.-]+")) {
                context.warn(Hl7Location.field("PID", 21), "holds a name, not an identifier; used as the mother's name");
                if (!mother.hasName()) {
                    mother.addName().setFamily(first).addGiven(second);
                }
                continue;
            }
            Identifier identifier = V2Datatypes.identifier(cx, context);
            if (identifier != null) {
                identifier.setUse(Identifier.IdentifierUse.SECONDARY);
            }
            if (identifier != null && !isPlaceholder(identifier, Hl7Location.field("PID", 21), context)
                    && mother.getIdentifier().stream().noneMatch(identifier::equalsDeep)) {
                mother.addIdentifier(identifier);
            }
        }
    }
}

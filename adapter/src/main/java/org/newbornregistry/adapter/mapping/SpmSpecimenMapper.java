package org.newbornregistry.adapter.mapping;

import ca.uhn.hl7v2.model.Type;
import ca.uhn.hl7v2.model.v26.datatype.CWE;
import ca.uhn.hl7v2.model.v26.datatype.EI;
import ca.uhn.hl7v2.model.v26.datatype.EIP;
import ca.uhn.hl7v2.model.v26.segment.SPM;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Specimen;
import org.newbornregistry.adapter.error.MappingException;
import org.newbornregistry.adapter.error.NbrError;
import org.newbornregistry.adapter.hl7.Hl7Location;
import org.newbornregistry.conformance.NbrCanonical;

import java.util.Locale;

/**
 * SPM → Specimen, after the guide's SPM[Specimen] map: the placer and filler specimen ids
 * (SPM-2) as identifiers typed PLAC and FILL, the type (SPM-4, e.g. SNOMED 440500007 blood
 * spot), collection time (SPM-17), received time (SPM-18), availability (SPM-20) and the
 * reasons a specimen was rejected or its condition (SPM-21, SPM-24).
 *
 * <p>The specimen id is how a lab that does not know the newborn's record number still links
 * its result to the newborn, so a specimen without one is refused.
 */
final class SpmSpecimenMapper {

    private SpmSpecimenMapper() {
    }

    /** The Specimen of the {@code occurrence}-th SPM of the message; {@code subject} may be null. */
    static Specimen map(SPM spm, int occurrence, String subject, MappingContext context) {
        Specimen specimen = new Specimen();
        if (subject != null) {
            specimen.getSubject().setReference(subject);
        }
        identifiers(spm, occurrence, specimen, context);
        type(spm, occurrence, specimen, context);
        collection(spm, occurrence, specimen, context);
        received(spm, occurrence, specimen, context);
        status(spm, occurrence, specimen, context);
        return specimen;
    }

    /** The identifier a Specimen is matched by: the placer's id if sent, else the filler's. */
    static Identifier keyIdentifier(Specimen specimen) {
        return specimen.getIdentifier().stream().filter(i -> hasType(i, "PLAC")).findFirst()
                .orElse(specimen.getIdentifierFirstRep());
    }

    @MapsFrom(v2 = "SPM-2", fhir = "Specimen.identifier", note = "SPM-2.1 placer id typed PLAC, SPM-2.2 filler id typed FILL; an EI sent in components instead of subcomponents (id^namespace^oid^ISO, or id^namespace where several SPM share the namespace) is read as the placer id, with a warning")
    static void identifiers(SPM spm, int occurrence, Specimen specimen, MappingContext context) {
        EIP id = spm.getSpecimenID();
        Hl7Location at = new Hl7Location("SPM", occurrence, 2, 0);
        Identifier placer;
        Identifier filler;
        if (sentAsComponents(id)) {
            // Why: several senders write SPM-2 as an EI (id^namespace^oid^ISO); read that way it stays the same id.
            context.warn(at, "an entity identifier in components rather than a placer^filler pair; read as the placer's specimen id");
            placer = placerFromComponents(id, context);
            filler = null;
        } else if (fillerIsANamespace(spm)) {
            context.warn(at, "the second component is the same in SPM of different specimens, so it is no filler's specimen id; "
                    + "read as the namespace of the placer's specimen id (SPM-2.1)");
            placer = placerFromComponents(id, context);
            filler = null;
        } else {
            placer = V2Datatypes.identifier(id.getPlacerAssignedIdentifier(), "PLAC", context);
            filler = V2Datatypes.identifier(id.getFillerAssignedIdentifier(), "FILL", context);
        }
        if (placer == null && filler == null) {
            throw new MappingException(NbrError.HL7_REQUIRED_FIELD_MISSING, at,
                    "a specimen needs its id: it is how results link to the newborn");
        }
        if (placer != null) {
            specimen.addIdentifier(placer);
        }
        if (filler != null) {
            specimen.addIdentifier(filler);
        }
    }

    @MapsFrom(v2 = "SPM-4", fhir = "Specimen.type")
    static void type(SPM spm, int occurrence, Specimen specimen, MappingContext context) {
        CodeableConcept type = V2Datatypes.concept(spm.getSpecimenType(), context);
        if (type == null) {
            if (V2Values.isExplicitNull(spm.getSpecimenType())) {
                V2Update.cleared(specimen, "type");
            }
            context.warn(new Hl7Location("SPM", occurrence, 4, 0), "no specimen type");
            return;
        }
        specimen.setType(type);
        if (type.getCoding().stream().anyMatch(c -> "http://snomed.info/sct".equals(c.getSystem()) && "440500007".equals(c.getCode()))) {
            specimen.getMeta().addProfile(NbrCanonical.BLOOD_SPOT_SPECIMEN);
        }
    }

    @MapsFrom(v2 = "SPM-17", fhir = "Specimen.collection.collected[x]", note = "a range with a distinct end becomes collectedPeriod, else collectedDateTime")
    static void collection(SPM spm, int occurrence, Specimen specimen, MappingContext context) {
        Hl7Location at = new Hl7Location("SPM", occurrence, 17, 0);
        if (V2Values.isExplicitNull(spm.getSpecimenCollectionDateTime())) {
            V2Update.cleared(specimen, "collection.collected");
        }
        String start = V2Datatypes.resultDateTime(V2Values.text(spm.getSpecimenCollectionDateTime().getRangeStartDateTime()), at, context);
        String end = V2Datatypes.resultDateTime(V2Values.text(spm.getSpecimenCollectionDateTime().getRangeEndDateTime()), at, context);
        if (start == null) {
            return;
        }
        if (end == null || end.equals(start)) {
            specimen.getCollection().setCollected(new DateTimeType(start));
        } else {
            specimen.getCollection().setCollected(new Period().setStartElement(new DateTimeType(start))
                    .setEndElement(new DateTimeType(end)));
        }
    }

    @MapsFrom(v2 = "SPM-18", fhir = "Specimen.receivedTime")
    static void received(SPM spm, int occurrence, Specimen specimen, MappingContext context) {
        if (V2Values.isExplicitNull(spm.getSpecimenReceivedDateTime())) {
            V2Update.cleared(specimen, "receivedTime");
        }
        String received = V2Datatypes.resultDateTime(V2Values.text(spm.getSpecimenReceivedDateTime()),
                new Hl7Location("SPM", occurrence, 18, 0), context);
        if (received != null) {
            specimen.setReceivedTimeElement(new DateTimeType(received));
        }
    }

    @MapsFrom(v2 = "SPM-20", fhir = "Specimen.status", note = "Y available, N unavailable; a reject reason (SPM-21) makes it unsatisfactory")
    @MapsFrom(v2 = "SPM-21", fhir = "Specimen.condition", note = "deviation: the guide has no target for reject reasons; they are kept as conditions of an unsatisfactory specimen")
    @MapsFrom(v2 = "SPM-24", fhir = "Specimen.condition")
    static void status(SPM spm, int occurrence, Specimen specimen, MappingContext context) {
        if (V2Values.isExplicitNull(spm.getSpecimenAvailability())) {
            V2Update.cleared(specimen, "status");
        }
        if (V2Values.isExplicitNull(spm.getSpecimenRejectReason()) && V2Values.isExplicitNull(spm.getSpecimenCondition())) {
            V2Update.cleared(specimen, "condition");
        }
        String availability = V2Values.text(spm.getSpecimenAvailability());
        if (availability != null) {
            specimen.setStatus(switch (availability.toUpperCase(Locale.ROOT)) {
                case "Y" -> Specimen.SpecimenStatus.AVAILABLE;
                case "N" -> Specimen.SpecimenStatus.UNAVAILABLE;
                default -> throw new MappingException(NbrError.HL7_TABLE_VALUE_NOT_FOUND,
                        new Hl7Location("SPM", occurrence, 20, 0), "is not Y or N (HL7 table 0136)");
            });
        }
        for (CWE reason : spm.getSpecimenRejectReason()) {
            CodeableConcept concept = V2Datatypes.concept(reason, context);
            if (concept != null) {
                specimen.addCondition(concept);
                specimen.setStatus(Specimen.SpecimenStatus.UNSATISFACTORY);
            }
        }
        for (CWE condition : spm.getSpecimenCondition()) {
            CodeableConcept concept = V2Datatypes.concept(condition, context);
            if (concept != null) {
                specimen.addCondition(concept);
            }
        }
    }

    private static boolean sentAsComponents(EIP id) {
        return id.getExtraComponents().numComponents() > 0;
    }

    /**
     * Whether SPM-2 is an EI sent as {@code id^namespace}: its second component, a bare name, is
     * repeated by another SPM of the message with another first component. A filler's specimen id
     * names one specimen, so two specimens cannot share it; read as a filler id it would make the
     * second specimen claim the first one's identifier.
     */
    private static boolean fillerIsANamespace(SPM spm) {
        EIP id = spm.getSpecimenID();
        String placer = V2Values.text(id.getPlacerAssignedIdentifier().getEntityIdentifier());
        String filler = V2Values.text(id.getFillerAssignedIdentifier().getEntityIdentifier());
        if (placer == null || filler == null || hasAuthority(id.getPlacerAssignedIdentifier()) || hasAuthority(id.getFillerAssignedIdentifier())) {
            return false;
        }
        for (Segments.Found found : Segments.of(spm.getMessage())) {
            if (found.segment() instanceof SPM other && other != spm) {
                EIP otherId = other.getSpecimenID();
                if (filler.equals(V2Values.text(otherId.getFillerAssignedIdentifier().getEntityIdentifier()))
                        && !placer.equals(V2Values.text(otherId.getPlacerAssignedIdentifier().getEntityIdentifier()))) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean hasAuthority(EI ei) {
        return V2Values.text(ei.getNamespaceID()) != null || V2Values.text(ei.getUniversalID()) != null;
    }

    private static Identifier placerFromComponents(EIP id, MappingContext context) {
        String value = V2Values.text(id.getPlacerAssignedIdentifier().getEntityIdentifier());
        if (value == null) {
            return null;
        }
        String namespace = V2Values.text(id.getFillerAssignedIdentifier().getEntityIdentifier());
        String universal = extra(id, 0);
        String type = extra(id, 1);
        Identifier identifier = new Identifier().setValue(value)
                .setSystem(context.identifierSystem(namespace, universal, type, "PLAC"));
        identifier.getType().addCoding().setSystem("http://terminology.hl7.org/CodeSystem/v2-0203").setCode("PLAC");
        return identifier;
    }

    private static String extra(EIP id, int index) {
        if (id.getExtraComponents().numComponents() <= index) {
            return null;
        }
        try {
            Type data = id.getExtraComponents().getComponent(index).getData();
            return V2Values.text(data);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static boolean hasType(Identifier identifier, String code) {
        return identifier.getType().getCoding().stream().anyMatch(c -> code.equals(c.getCode()));
    }
}

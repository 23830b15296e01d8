package org.newbornregistry.adapter.mapping;

import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.model.v26.datatype.CX;
import ca.uhn.hl7v2.model.v26.group.ADT_A39_PATIENT;
import ca.uhn.hl7v2.model.v26.message.ADT_A39;
import ca.uhn.hl7v2.model.v26.segment.MRG;
import ca.uhn.hl7v2.model.v26.segment.PID;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;
import org.newbornregistry.adapter.error.MappingException;
import org.newbornregistry.adapter.error.NbrError;
import org.newbornregistry.adapter.hl7.Hl7Location;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Patient merges (ADT^A40, "merge patient - patient identifier list") → the surviving Patient
 * (PID) updated and linked {@code replaces} to the record it absorbs, and the absorbed record
 * (MRG-1) marked inactive and linked {@code replaced-by} the survivor, as FHIR's Patient.link
 * and HAPI's {@code $merge} express a merge. Both are keyed by identifier, so a merge that
 * arrives before either record still leaves the two linked.
 *
 * <p>Both are updated with v2 semantics: the survivor keeps what its PID does not carry, and the
 * absorbed record keeps its demographics (birth date, address, ...) and takes the MRG
 * identifiers, the MRG-7 name when sent, the inactive flag and the link. Results and other
 * records that refer to the absorbed record are not re-pointed: readers follow the
 * {@code replaced-by} link.
 *
 * <p>Segment index: MSH, PID, MRG mapped; EVN, PD1, PV1, SFT deliberately not mapped; anything
 * else is reported as a warning.
 */
public final class PatientMergeMapper {

    /** The trigger events this mapper takes. */
    public static final Set<String> EVENTS = Set.of("A40");

    static final Set<String> IGNORED = Set.of("EVN", "PD1", "PV1", "SFT");

    private PatientMergeMapper() {
    }

    /** Maps a parsed ADT^A40 message. */
    public static MappedMessage map(Message message, MappingContext context) {
        if (!(message instanceof ADT_A39 merge)) {
            throw new MappingException(NbrError.HL7_DAMAGED, Hl7Location.field("MSH", 9),
                    "the message does not have the ADT_A39 structure of a merge");
        }
        SegmentIndex segments = SegmentIndex.of(message);
        TransactionBuilder transaction = new TransactionBuilder();
        try {
            for (ADT_A39_PATIENT patient : merge.getPATIENTAll()) {
                if (segments.present(patient.getPID())) {
                    merge(patient.getPID(), patient.getMRG(), segments, transaction, context);
                }
            }
        } catch (HL7Exception e) {
            throw new MappingException(NbrError.HL7_DAMAGED, Hl7Location.field("MSH", 9),
                    "the message's segments do not form an ADT_A39");
        }
        if (transaction.build().getEntry().isEmpty()) {
            throw new MappingException(NbrError.HL7_REQUIRED_FIELD_MISSING, Hl7Location.segment("PID", 1),
                    "a merge needs the surviving patient (PID) and the one it absorbs (MRG)");
        }
        segments.warnUnmapped(IGNORED, context);
        return new MappedMessage(transaction.build(), context.warnings());
    }

    private static void merge(PID pid, MRG mrg, SegmentIndex segments, TransactionBuilder transaction,
                              MappingContext context) {
        int pidAt = segments.map(pid);
        if (!segments.present(mrg)) {
            throw new MappingException(NbrError.HL7_REQUIRED_FIELD_MISSING, Hl7Location.segment("MRG", pidAt),
                    "a merge needs the identifiers of the patient it absorbs (MRG)");
        }
        int mrgAt = segments.map(mrg);
        Patient survivor = PidPatientMapper.map(pid, context);
        Identifier survivorKey = NewbornAdtMapper.keyIdentifier(survivor);
        Patient absorbed = absorbed(mrg, mrgAt, context);
        Identifier absorbedKey = NewbornAdtMapper.keyIdentifier(absorbed);
        if (survivorKey.getSystem() != null && survivorKey.equalsDeep(absorbedKey)) {
            throw new MappingException(NbrError.HL7_DATA_TYPE_ERROR, new Hl7Location("MRG", mrgAt, 1, 0),
                    "names the surviving patient's own identifier");
        }
        String survivorRef = transaction.update(survivor, Conditions.identifier(survivorKey));
        String absorbedRef = transaction.update(absorbed, Conditions.identifier(absorbedKey));
        survivor.setActive(true);
        survivor.addLink().setType(Patient.LinkType.REPLACES).getOther().setReference(absorbedRef);
        absorbed.setActive(false);
        absorbed.addLink().setType(Patient.LinkType.REPLACEDBY).getOther().setReference(survivorRef);
    }

    @MapsFrom(v2 = "MRG-1", fhir = "Patient.identifier", note = "of the absorbed Patient, which becomes active false and is linked replaced-by the survivor (PID), itself linked replaces")
    @MapsFrom(v2 = "MRG-7", fhir = "Patient.name", note = "of the absorbed Patient")
    static Patient absorbed(MRG mrg, int occurrence, MappingContext context) {
        Patient absorbed = new Patient();
        List<Identifier> identifiers = new ArrayList<>();
        for (CX cx : mrg.getPriorPatientIdentifierList()) {
            Identifier identifier = V2Datatypes.identifier(cx, context);
            if (identifier != null) {
                identifiers.add(identifier);
            }
        }
        if (identifiers.isEmpty()) {
            throw new MappingException(NbrError.HL7_REQUIRED_FIELD_MISSING, new Hl7Location("MRG", occurrence, 1, 0),
                    "a merge needs the absorbed patient's identifier");
        }
        identifiers.forEach(absorbed::addIdentifier);
        for (int i = 0; i < mrg.getPriorPatientNameReps(); i++) {
            var name = V2Datatypes.name(mrg.getPriorPatientName(i));
            if (name != null) {
                absorbed.addName(name);
            }
        }
        return absorbed;
    }
}

package org.newbornregistry.adapter.mapping;

import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.v26.segment.OBX;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Identifier;
import org.newbornregistry.conformance.NbrCanonical;

import java.util.HashMap;
import java.util.Map;

/**
 * The keys the v2 mappings derive for what v2 does not identify one by one (reports,
 * observations, answers given at order entry): identifiers in
 * {@link NbrCanonical#RESULT_KEY_SYSTEM} built from an order number, codes and sub-ids. One
 * instance per message: a second use of the same key within the message gets "#2", and so on,
 * so that two OBX the sender did not tell apart never overwrite each other.
 */
final class ResultKeys {

    private final Map<String, Integer> uses = new HashMap<>();

    /** A derived key, unique within the message. */
    Identifier key(String value) {
        int use = uses.merge(value, 1, Integer::sum);
        return new Identifier().setSystem(NbrCanonical.RESULT_KEY_SYSTEM)
                .setValue(use == 1 ? value : value + "#" + use).setUse(Identifier.IdentifierUse.USUAL);
    }

    /** An identifier in a key: {@code system|value}. */
    static String identifierKey(Identifier identifier) {
        return identifier.getSystem() + "|" + identifier.getValue();
    }

    /** A code in a key: LOINC codes alone, as most results carry them, others with their system. */
    static String codeKey(CodeableConcept concept) {
        var coding = concept.getCodingFirstRep();
        return "http://loinc.org".equals(coding.getSystem()) ? coding.getCode() : coding.getSystem() + "|" + coding.getCode();
    }

    /** OBX-4 as sent, or empty. */
    static String subId(OBX obx) {
        try {
            String encoded = obx.getObservationSubID().encode();
            return encoded == null ? "" : encoded;
        } catch (HL7Exception e) {
            return "";
        }
    }
}

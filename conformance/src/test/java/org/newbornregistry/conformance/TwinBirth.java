package org.newbornregistry.conformance;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * The project's twin-birth sample ({@code samples/v2/adt-a01-newborn-twin-b.hl7}) with a fresh
 * control id, MRNs and visit number, so that tests sharing one database never see each other's
 * messages as resends or each other's newborns.
 *
 * @param text      the message, segments separated by CR
 * @param controlId its MSH-10
 * @param mrn       the newborn's medical record number (system urn:oid:2.16.840.1.113883.19.5)
 * @param motherMrn the mother's medical record number (same system)
 */
public record TwinBirth(String text, String controlId, String mrn, String motherMrn) {

    /** The identifier system of the sample hospital's MRNs. */
    public static final String MRN_SYSTEM = "urn:oid:2.16.840.1.113883.19.5";

    /** A new, unique copy of the sample. */
    public static TwinBirth unique() {
        String unique = UUID.randomUUID().toString().substring(0, 12).toUpperCase();
        String text = new String(Samples.v2("adt-a01-newborn-twin-b.hl7"), StandardCharsets.US_ASCII)
                .replace("NBR-SAMPLE-0001", "C" + unique)
                .replace("GH0001^", "GH" + unique + "^")
                .replace("GHM0099^", "GHM" + unique + "^")
                .replace("V0001^", "V" + unique + "^");
        return new TwinBirth(text, "C" + unique, "GH" + unique, "GHM" + unique);
    }

    /** The birth of the other twin, first-born "BABY GIRL A", of the same mother, in a message of its own. */
    public TwinBirth sibling() {
        String unique = UUID.randomUUID().toString().substring(0, 12).toUpperCase();
        String text = this.text
                .replace(controlId, "C" + unique)
                .replace(mrn + "^", "GH" + unique + "^")
                .replace("BABY GIRL B", "BABY GIRL A")
                .replace("|Y|B", "|Y|A")
                .replaceFirst("\\|V[0-9A-F-]{12}\\^", "|V" + unique + "^");
        return new TwinBirth(text, "C" + unique, "GH" + unique, motherMrn);
    }

    /** The message as bytes on the wire. */
    public byte[] bytes() {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}

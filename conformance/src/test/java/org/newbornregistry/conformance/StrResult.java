package org.newbornregistry.conformance;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * The project's STR genotype result sample ({@code samples/v2/oru-r01-str-genotype.hl7}) with a
 * fresh control id, order numbers and specimen ids, about a newborn of the caller's choosing,
 * so that tests sharing one database can send a result for a birth they also send.
 *
 * @param text       the message, segments separated by CR
 * @param controlId  its MSH-10
 * @param specimenId the blood spot's placer id (system urn:oid:2.16.840.1.113883.19.5.4)
 * @param placer     the order's placer number (system urn:oid:2.16.840.1.113883.19.5.3)
 */
public record StrResult(String text, String controlId, String specimenId, String placer) {

    /** A new, unique copy of the sample about the newborn with medical record number {@code mrn}. */
    public static StrResult forNewborn(String mrn) {
        String unique = UUID.randomUUID().toString().substring(0, 12).toUpperCase();
        String text = new String(Samples.v2("oru-r01-str-genotype.hl7"), StandardCharsets.US_ASCII)
                .replace("NBR-SAMPLE-STR-0001", "S" + unique)
                .replace("GH0001^", mrn + "^")
                .replace("NBS0001^", "NBS-" + unique + "^")
                .replace("STR-24-0001", "STR-" + unique)
                .replace("DBS24000001&", "DBS-" + unique + "&");
        return new StrResult(text, "S" + unique, "DBS-" + unique, "NBS-" + unique);
    }

    /** The same result as a lab sends it that knows the newborn only by the specimen: without PID. */
    public StrResult withoutPatient() {
        return new StrResult(text.replaceAll("PID\\|[^\r]*\r", ""), controlId, specimenId, placer);
    }

    /** The message as bytes on the wire. */
    public byte[] bytes() {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}

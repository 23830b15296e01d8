package org.newbornregistry.conformance;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * The project's newborn-screening order sample ({@code samples/v2/oml-o21-newborn-screening-order.hl7})
 * for a birth and a blood spot of the caller's choosing, with a fresh control id, so that tests
 * sharing one database can send a birth, its order and its results as one story.
 *
 * @param text      the message, segments separated by CR
 * @param controlId its MSH-10
 */
public record ScreeningOrder(String text, String controlId) {

    /** The order of the blood spot and placer number a result names, for the newborn of {@code birth}. */
    public static ScreeningOrder of(TwinBirth birth, StrResult result) {
        String unique = UUID.randomUUID().toString().substring(0, 12).toUpperCase();
        String text = new String(Samples.v2("oml-o21-newborn-screening-order.hl7"), StandardCharsets.US_ASCII)
                .replace("NBR-SAMPLE-0002", "O" + unique)
                .replace("GH0001^", birth.mrn() + "^")
                .replace("GHM0099^", birth.motherMrn() + "^")
                .replace("NBS0001^", result.placer() + "^")
                .replace("DBS24000001&", result.specimenId() + "&");
        return new ScreeningOrder(text, "O" + unique);
    }

    /** The message as bytes on the wire. */
    public byte[] bytes() {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}

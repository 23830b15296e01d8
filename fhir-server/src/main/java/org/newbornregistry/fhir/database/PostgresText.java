package org.newbornregistry.fhir.database;

/** Text as a PostgreSQL text column can hold it. */
public final class PostgresText {

    private PostgresText() {
    }

    /**
     * The text with each NUL character, which a text column refuses, replaced by U+FFFD; null stays null.
     * Senders put NUL where it has no business (an HL7 MSH-10 found by fuzzing); what is received whole
     * (the raw message, an event's JSON, which escapes it) keeps the original.
     */
    public static String storable(String text) {
        return text == null || text.indexOf('\u0000') < 0 ? text : text.replace('\u0000', '\uFFFD');
    }
}

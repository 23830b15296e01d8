package org.newbornregistry.console;

import org.springframework.stereotype.Component;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** How the console's templates write values the API gives as ISO text: {@code ${@consoleFormat.instant(...)}}. */
@Component("consoleFormat")
public class ConsoleFormat {

    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    /** An ISO instant to the second, in UTC; anything else as it is. */
    public String instant(String iso) {
        if (iso == null || iso.isBlank()) {
            return "";
        }
        try {
            return SECONDS.format(Instant.parse(iso));
        } catch (DateTimeParseException e) {
            return iso;
        }
    }

    /** The first component of an HL7 field ({@code GENERAL HOSPITAL^2.16...^ISO} → {@code GENERAL HOSPITAL}). */
    public String firstComponent(String field) {
        if (field == null) {
            return "";
        }
        int caret = field.indexOf('^');
        return caret < 0 ? field : field.substring(0, caret);
    }
}

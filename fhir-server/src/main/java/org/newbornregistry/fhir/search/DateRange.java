package org.newbornregistry.fhir.search;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The closed range of instants that a FHIR date, dateTime or instant value stands for, at its
 * precision: {@code 2024-05} covers the whole of May, {@code 2024-05-01T10:00:00Z} the whole second.
 * Values without a time zone are read as UTC, so that indexing and searching agree whatever the
 * JVM's zone is.
 *
 * @param low  first instant covered
 * @param high last instant covered (inclusive)
 * @see <a href="https://hl7.org/fhir/R4/search.html#date">FHIR search: date</a>
 */
public record DateRange(Instant low, Instant high) {

    /** Stand-in for an open start (a Period without start). */
    public static final Instant MIN = Instant.parse("0001-01-01T00:00:00Z");
    /** Stand-in for an open end (a Period without end). */
    public static final Instant MAX = Instant.parse("9999-12-31T23:59:59.999999Z");

    /** Whether an instant lies in the years the store holds (0001 to 9999: PostgreSQL's timestamptz goes further, ISO 8601 does not). */
    public static boolean storable(Instant instant) {
        return !instant.isBefore(MIN) && !instant.isAfter(MAX);
    }

    // Why: PostgreSQL keeps microseconds, so a range ends one microsecond before the next begins.
    private static final Duration ONE_MICRO = Duration.ofNanos(1000);

    private static final Pattern DATE_TIME = Pattern.compile(
            "(\\d{4})(?:-(\\d{2})(?:-(\\d{2})(?:T(\\d{2}):(\\d{2})(?::(\\d{2})(\\.\\d+)?)?"
                    + "(Z|[+-]\\d{2}:\\d{2})?)?)?)?");

    public DateRange {
        if (low.isAfter(high)) {
            throw new IllegalArgumentException("range starts after it ends");
        }
    }

    /** A range of one instant. */
    public static DateRange of(Instant instant) {
        return new DateRange(instant, instant);
    }

    /**
     * Parses a FHIR date, dateTime or instant string.
     *
     * @throws IllegalArgumentException if the text is not one (the message never repeats the text)
     */
    public static DateRange parse(String text) {
        Matcher m = DATE_TIME.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("not a FHIR date, dateTime or instant");
        }
        try {
            int year = Integer.parseInt(m.group(1));
            if (m.group(2) == null) {
                LocalDate start = LocalDate.of(year, 1, 1);
                return days(start, start.plusYears(1));
            }
            int month = Integer.parseInt(m.group(2));
            if (m.group(3) == null) {
                LocalDate start = LocalDate.of(year, month, 1);
                return days(start, start.plusMonths(1));
            }
            LocalDate date = LocalDate.of(year, month, Integer.parseInt(m.group(3)));
            if (m.group(4) == null) {
                return days(date, date.plusDays(1));
            }
            ZoneOffset zone = m.group(8) == null || m.group(8).equals("Z") ? ZoneOffset.UTC : ZoneOffset.of(m.group(8));
            int seconds = m.group(6) == null ? 0 : Integer.parseInt(m.group(6));
            LocalDateTime local = date.atTime(Integer.parseInt(m.group(4)), Integer.parseInt(m.group(5)), seconds);
            Instant start = OffsetDateTime.of(local, zone).toInstant();
            if (m.group(6) == null) {
                return new DateRange(start, start.plus(1, ChronoUnit.MINUTES).minus(ONE_MICRO));
            }
            if (m.group(7) == null) {
                return new DateRange(start, start.plusSeconds(1).minus(ONE_MICRO));
            }
            long nanos = Long.parseLong((m.group(7).substring(1) + "000000000").substring(0, 9));
            return of(start.plusNanos(nanos).truncatedTo(ChronoUnit.MICROS));
        } catch (DateTimeException | NumberFormatException e) {
            throw new IllegalArgumentException("not a valid calendar date or time");
        }
    }

    private static DateRange days(LocalDate startInclusive, LocalDate endExclusive) {
        Instant low = startInclusive.atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant high = endExclusive.atStartOfDay(ZoneOffset.UTC).toInstant().minus(ONE_MICRO);
        return new DateRange(low, high);
    }
}

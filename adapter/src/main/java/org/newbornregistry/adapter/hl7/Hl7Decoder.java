package org.newbornregistry.adapter.hl7;

import org.newbornregistry.adapter.error.NbrError;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the bytes of a received message into the text the parser reads, and reports damage that
 * the parser would otherwise swallow silently.
 * <ul>
 *   <li>A UTF-8 byte-order mark before MSH is dropped.</li>
 *   <li>The character set is MSH-18's (HL7 table 0211), else UTF-8. Bytes that are not valid in
 *       it are not replaced by '?': UTF-8 and then ISO-8859-1 are tried instead, with a warning.</li>
 *   <li>Segments may end in CR, LF or CRLF; blank lines are dropped; the text uses CR.</li>
 *   <li>A line that does not start with a segment ID is a field broken by a line break, and a
 *       segment ID in the middle of a line is two segments merged: both are errors (AE).</li>
 *   <li>An MSH-2 that is not the four (or, from 2.7, five) encoding characters, or that holds a
 *       character that cannot be a delimiter (a letter, digit, space, control character or the
 *       replacement character U+FFFD), makes the header unreadable (AR): used as a separator,
 *       such a character splits every value that carries it.</li>
 *   <li>The replacement character U+FFFD in a field, the mark of a character an earlier
 *       conversion lost, is a warning naming the field; so is an OBX with a value (OBX-5) but no
 *       value type (OBX-2), which the parser reads as text.</li>
 * </ul>
 */
public final class Hl7Decoder {

    private static final Map<String, Charset> HL7_CHARSETS = Map.ofEntries(
            Map.entry("ASCII", StandardCharsets.US_ASCII),
            Map.entry("8859/1", StandardCharsets.ISO_8859_1),
            Map.entry("8859/2", Charset.forName("ISO-8859-2")),
            Map.entry("8859/3", Charset.forName("ISO-8859-3")),
            Map.entry("8859/4", Charset.forName("ISO-8859-4")),
            Map.entry("8859/5", Charset.forName("ISO-8859-5")),
            Map.entry("8859/6", Charset.forName("ISO-8859-6")),
            Map.entry("8859/7", Charset.forName("ISO-8859-7")),
            Map.entry("8859/8", Charset.forName("ISO-8859-8")),
            Map.entry("8859/9", Charset.forName("ISO-8859-9")),
            Map.entry("8859/15", Charset.forName("ISO-8859-15")),
            Map.entry("UNICODE", StandardCharsets.UTF_8),
            Map.entry("UNICODE UTF-8", StandardCharsets.UTF_8),
            Map.entry("UNICODE UTF-16", StandardCharsets.UTF_16),
            Map.entry("GB 18030-2000", Charset.forName("GB18030")),
            Map.entry("KS X 1001", Charset.forName("EUC-KR")),
            Map.entry("BIG-5", Charset.forName("Big5")),
            Map.entry("ISO IR87", Charset.forName("ISO-2022-JP")));

    /** Segment IDs whose appearance inside a line means two segments ran together. */
    private static final Set<String> SEGMENT_IDS = Set.of("MSH", "EVN", "PID", "PD1", "NK1", "PV1", "PV2", "ORC", "OBR",
            "OBX", "NTE", "SPM", "SAC", "TQ1", "TQ2", "IN1", "IN2", "GT1", "AL1", "DG1", "CON", "MRG", "ROL", "PRT", "TXA");
    private static final Pattern SEGMENT_START = Pattern.compile("^[A-Z][A-Z0-9]{2}$");
    // Why compiled once: it is checked on every segment of every message.
    private static final Pattern MERGED_SEGMENT_PIPE = mergedSegment('|');

    /** The decoded text with what was found on the way. */
    public record Decoded(String text, Charset charset, List<Hl7Problem> problems) {
    }

    /** Most U+FFFD warnings one message gets: a wholly mis-decoded message would otherwise get one per field. */
    private static final int MAX_REPLACEMENT_WARNINGS = 5;

    public Decoded decode(byte[] raw) {
        List<Hl7Problem> problems = new ArrayList<>();
        int start = raw.length >= 3 && (raw[0] & 0xFF) == 0xEF && (raw[1] & 0xFF) == 0xBB && (raw[2] & 0xFF) == 0xBF ? 3 : 0;
        ByteBuffer bytes = ByteBuffer.wrap(raw, start, raw.length - start);
        String declared = declaredCharset(bytes.duplicate());
        Charset charset = declared.isEmpty() ? StandardCharsets.UTF_8 : HL7_CHARSETS.get(declared.toUpperCase(Locale.ROOT));
        if (charset == null) {
            problems.add(Hl7Problem.warning(Hl7Location.field("MSH", 18),
                    "character set is not in HL7 table 0211; read as UTF-8"));
            charset = StandardCharsets.UTF_8;
        }
        String text = strictDecode(bytes.duplicate(), charset);
        if (text == null) {
            Charset fallback = charset.equals(StandardCharsets.UTF_8) ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8;
            text = strictDecode(bytes.duplicate(), fallback);
            if (text == null) {
                fallback = StandardCharsets.ISO_8859_1;
                text = strictDecode(bytes.duplicate(), fallback);
            }
            problems.add(Hl7Problem.warning(Hl7Location.field("MSH", 18),
                    "bytes are not valid " + charset.name() + "; read as " + fallback.name()));
            charset = fallback;
        }
        String normalized = normalizeSegments(text, problems);
        checkEncodingCharacters(normalized, problems);
        checkNul(normalized, problems);
        return new Decoded(normalized, charset, List.copyOf(problems));
    }

    private static String normalizeSegments(String text, List<Hl7Problem> problems) {
        String[] lines = text.replace("\r\n", "\r").replace('\n', '\r').split("\r");
        StringBuilder out = new StringBuilder(text.length());
        char fieldSeparator = text.length() > 3 && text.startsWith("MSH") ? text.charAt(3) : '|';
        String previous = null;
        Map<String, Integer> seen = new HashMap<>();
        for (String line : lines) {
            if (line.isBlank()) {
                continue;
            }
            int separatorAt = line.indexOf(fieldSeparator);
            String id = separatorAt == 3 ? line.substring(0, 3) : line.length() == 3 ? line : "";
            if (!SEGMENT_START.matcher(id).matches()) {
                problems.add(new Hl7Problem(NbrError.HL7_DAMAGED,
                        previous == null ? null : Hl7Location.segment(previous, seen.getOrDefault(previous, 1)),
                        "a line that is not a segment follows this segment: a field broken by a line break"));
            } else {
                previous = id;
                seen.merge(id, 1, Integer::sum);
                checkMerged(line, fieldSeparator, Hl7Location.segment(id, seen.get(id)), problems);
                checkFields(line, id, seen.get(id), fieldSeparator, problems);
            }
            if (out.length() > 0) {
                out.append('\r');
            }
            out.append(line);
        }
        return out.toString();
    }

    private static void checkMerged(String line, char fieldSeparator, Hl7Location location, List<Hl7Problem> problems) {
        Matcher matcher = (fieldSeparator == '|' ? MERGED_SEGMENT_PIPE : mergedSegment(fieldSeparator)).matcher(line);
        int from = 4;
        while (from < line.length() && matcher.find(from)) {
            if (SEGMENT_IDS.contains(matcher.group(1))) {
                problems.add(new Hl7Problem(NbrError.HL7_DAMAGED, location,
                        "segment " + matcher.group(1) + " starts inside this segment: two segments merged on one line"));
                return;
            }
            from = matcher.end();
        }
    }

    /** Warnings about single fields of a segment: lost characters anywhere, an OBX value without its type. */
    private static void checkFields(String line, String id, int occurrence, char fieldSeparator, List<Hl7Problem> problems) {
        boolean replacement = line.indexOf('\uFFFD') >= 0;
        boolean observation = id.equals("OBX");
        if (!replacement && !observation) {
            return;
        }
        String[] fields = line.split(Pattern.quote(String.valueOf(fieldSeparator)), -1);
        // Why: in MSH the separator itself is MSH-1, so the text after the first separator is MSH-2.
        int offset = id.equals("MSH") ? 1 : 0;
        if (replacement) {
            for (int i = 1; i < fields.length; i++) {
                if (fields[i].indexOf('\uFFFD') >= 0 && !(offset == 1 && i == 1)
                        && problems.stream().filter(p -> p.message().startsWith(LOST_CHARACTER)).count() < MAX_REPLACEMENT_WARNINGS) {
                    problems.add(Hl7Problem.warning(new Hl7Location(id, occurrence, i + offset, 0), LOST_CHARACTER
                            + " (U+FFFD) where an earlier conversion lost a character; check the sender's character set"));
                }
            }
        }
        if (observation && fields.length > 5 && fields[2].isBlank() && !fields[5].isBlank() && !fields[5].equals("\"\"")) {
            problems.add(Hl7Problem.warning(new Hl7Location("OBX", occurrence, 2, 0),
                    "no value type, but a value in OBX-5; the value is read as text (ST)"));
        }
    }

    private static final String LOST_CHARACTER = "holds the replacement character";

    /** A segment id followed by the field separator, inside a line: where a second segment starts. */
    private static Pattern mergedSegment(char fieldSeparator) {
        return Pattern.compile("(?<=[^A-Z0-9])([A-Z][A-Z0-9]{2})" + Pattern.quote(String.valueOf(fieldSeparator)));
    }

    /** A NUL character is never HL7 text (and no database text column holds one): the message is damaged. */
    private static void checkNul(String text, List<Hl7Problem> problems) {
        int at = text.indexOf('\u0000');
        if (at < 0) {
            return;
        }
        int lineStart = text.lastIndexOf('\r', at) + 1;
        String id = text.length() >= lineStart + 3 ? text.substring(lineStart, lineStart + 3) : "";
        int occurrence = 0;
        for (String line : text.substring(0, lineStart + Math.min(3, text.length() - lineStart)).split("\r")) {
            if (line.startsWith(id)) {
                occurrence++;
            }
        }
        problems.add(new Hl7Problem(NbrError.HL7_DAMAGED,
                SEGMENT_START.matcher(id).matches() ? Hl7Location.segment(id, Math.max(occurrence, 1)) : null,
                "the segment holds a NUL character, which HL7 v2 text never does"));
    }

    private static void checkEncodingCharacters(String text, List<Hl7Problem> problems) {
        if (!text.startsWith("MSH") || text.length() < 4) {
            return;
        }
        char separator = text.charAt(3);
        int end = text.indexOf(separator, 4);
        String encoding = end < 0 ? "" : text.substring(4, end);
        boolean valid = (encoding.length() == 4 || (encoding.length() == 5 && encoding.charAt(4) == '#'))
                && encoding.chars().distinct().count() == encoding.length()
                && encoding.chars().noneMatch(c -> c == separator);
        if (!valid) {
            problems.add(new Hl7Problem(NbrError.HL7_DAMAGED, Hl7Location.field("MSH", 2),
                    "MSH-2 must be the four encoding characters (five from v2.7, the fifth '#')"));
        } else if (!isDelimiter(separator) || encoding.chars().anyMatch(c -> !isDelimiter(c))) {
            problems.add(new Hl7Problem(NbrError.HL7_UNREADABLE_HEADER, Hl7Location.field("MSH", 2),
                    "MSH-2 holds a character that cannot be a delimiter (a letter, digit, space, control character or U+FFFD)"));
        }
    }

    /**
     * Whether a character can delimit HL7 values: printable ASCII punctuation. A letter or digit
     * would split ordinary values, and a control character, a space or U+FFFD (a character an
     * earlier conversion lost) is no separator a sender chose.
     */
    private static boolean isDelimiter(int c) {
        return c > ' ' && c < 0x7F && !Character.isLetterOrDigit(c);
    }

    // Why: MSH-18 decides how to decode, so it is read from the bytes as ASCII, which every HL7 character set extends.
    private static String declaredCharset(ByteBuffer bytes) {
        StringBuilder header = new StringBuilder();
        while (bytes.hasRemaining()) {
            char c = (char) (bytes.get() & 0xFF);
            if (c == '\r' || c == '\n') {
                break;
            }
            header.append(c);
        }
        String msh = header.toString();
        if (!msh.startsWith("MSH") || msh.length() < 5) {
            return "";
        }
        String[] fields = msh.split(Pattern.quote(String.valueOf(msh.charAt(3))), -1);
        String charsetField = fields.length > 17 ? fields[17] : "";
        int repetition = charsetField.indexOf('~');
        return (repetition >= 0 ? charsetField.substring(0, repetition) : charsetField).trim();
    }

    private static String strictDecode(ByteBuffer bytes, Charset charset) {
        try {
            return charset.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(bytes).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}

package org.newbornregistry.routes.mllp;

import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The personal and genetic values an HL7 v2 message carries, as a test looks for them in logs:
 * names (PID-5, PID-6, NK1-2, CON-24), identifier values (PID-3, PID-18, PID-21, NK1-33, SPM-2,
 * ORC-2/3, OBR-2/3), birth dates (PID-7, NK1-16, in HL7 and ISO form) and STR genotypes (the OBX-5
 * of an 84413-4 panel, as sent and as the registry joins them).
 */
public final class PersonalValues {

    private PersonalValues() {
    }

    public static Set<String> of(String message) {
        Set<String> values = new LinkedHashSet<>();
        boolean strPanel = message.contains("84413-4");
        for (String segment : message.split("\r")) {
            String[] fields = segment.split("\\|", -1);
            switch (fields[0]) {
                case "PID" -> {
                    firstComponents(fields, 3, values);
                    names(fields, 5, values);
                    names(fields, 6, values);
                    dates(fields, 7, values);
                    firstComponents(fields, 18, values);
                    firstComponents(fields, 21, values);
                }
                case "NK1" -> {
                    names(fields, 2, values);
                    dates(fields, 16, values);
                    firstComponents(fields, 33, values);
                }
                case "SPM" -> firstComponents(fields, 2, values);
                case "ORC", "OBR" -> {
                    firstComponents(fields, 2, values);
                    firstComponents(fields, 3, values);
                }
                case "OBX" -> {
                    if (strPanel && fields.length > 5 && !fields[5].isEmpty()) {
                        values.add(fields[5]);
                        values.add(fields[5].replace('~', ','));
                    }
                }
                default -> {
                }
            }
        }
        values.removeIf(v -> v.length() < 4 || v.equals("\"\""));
        return values;
    }

    /** MSH-10 of a message, when it has one. */
    public static Optional<String> controlId(String message) {
        int msh = message.indexOf("MSH|");
        String[] fields = msh < 0 ? new String[0] : message.substring(msh).split("\r")[0].split("\\|", -1);
        return fields.length > 9 ? Optional.of(fields[9]) : Optional.empty();
    }

    /** Whether a value appears in the logs as a whole word, not inside a longer one. */
    public static boolean appearsIn(String value, String logs) {
        return Pattern.compile("(?<![\\p{Alnum}.])" + Pattern.quote(value) + "(?![\\p{Alnum}.])").matcher(logs).find();
    }

    private static void firstComponents(String[] fields, int field, Set<String> into) {
        if (fields.length > field) {
            for (String repetition : fields[field].split("~")) {
                into.add(repetition.split("\\^")[0]);
            }
        }
    }

    private static void names(String[] fields, int field, Set<String> into) {
        if (fields.length > field) {
            for (String repetition : fields[field].split("~")) {
                String[] parts = repetition.split("\\^");
                if (parts.length > 0) {
                    into.add(parts[0]);
                }
                if (parts.length > 1) {
                    into.add(parts[1]);
                }
            }
        }
    }

    private static void dates(String[] fields, int field, Set<String> into) {
        if (fields.length > field && fields[field].length() >= 8) {
            String date = fields[field].substring(0, 8);
            into.add(date);
            into.add(date.substring(0, 4) + "-" + date.substring(4, 6) + "-" + date.substring(6, 8));
        }
    }
}

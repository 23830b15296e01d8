package org.newbornregistry.fhir.audit.store;

import ca.uhn.fhir.rest.param.DateParam;
import ca.uhn.fhir.rest.param.DateRangeParam;
import ca.uhn.fhir.rest.param.ParamPrefixEnum;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A search of the audit store, from FHIR search parameters to SQL on its typed columns. The
 * parameters are exactly those the CapabilityStatement lists for AuditEvent ({@link #PARAMETERS}):
 * repeated parameters are ANDed, comma-separated values ORed, as FHIR search says; anything else
 * is refused (400) rather than ignored, so that no auditor reads a partial answer as complete.
 *
 * @param parameters the search parameters as given, normalised (name → values), without result
 *                   parameters; what a next page link carries to run the same search again
 * @param descending {@code _sort=-date}
 */
public record AuditEventQuery(Map<String, List<String>> parameters, boolean descending) {

    /** The search parameters served, with their FHIR type: what the CapabilityStatement says. */
    public static final Map<String, String> PARAMETERS = orderedMap(
            "date", "date", "patient", "reference", "entity", "reference", "agent", "reference", "agent-name", "string",
            "action", "token", "outcome", "token", "type", "token", "subtype", "token", "source", "reference", "_id", "token");

    /** Parameters HAPI or the provider handles, not the query. */
    private static final Set<String> RESULT_PARAMETERS = Set.of("_count", "_sort", "_format", "_pretty", "_summary", "_elements",
            "_total");

    /** A place in the store's order: after this recorded time and entry. */
    public record Position(Instant recorded, long entryId) {
    }

    /** SQL and its arguments. */
    public record Sql(String text, Object[] arguments) {
    }

    /** The query of a request's parameters; 400 for what the audit store does not serve. */
    public static AuditEventQuery of(Map<String, String[]> request) {
        Map<String, List<String>> parameters = new TreeMap<>();
        boolean descending = false;
        for (Map.Entry<String, String[]> parameter : request.entrySet()) {
            String name = parameter.getKey();
            if (name.equals("_sort")) {
                descending = sort(parameter.getValue());
                continue;
            }
            if (RESULT_PARAMETERS.contains(name)) {
                continue;
            }
            String base = name.contains(":") ? name.substring(0, name.indexOf(':')) : name;
            String modifier = name.contains(":") ? name.substring(name.indexOf(':') + 1) : null;
            if (!PARAMETERS.containsKey(base)) {
                throw new InvalidRequestException("AuditEvent has no search parameter '" + base + "'; the audit log is searched by "
                        + String.join(", ", PARAMETERS.keySet()));
            }
            if (modifier != null && !(modifier.equals("identifier") && PARAMETERS.get(base).equals("reference"))
                    && !(modifier.equals("exact") && base.equals("agent-name"))) {
                throw new InvalidRequestException("AuditEvent search parameter '" + base + "' takes no modifier ':" + modifier + "'");
            }
            parameters.computeIfAbsent(name, n -> new ArrayList<>()).addAll(List.of(parameter.getValue()));
        }
        AuditEventQuery query = new AuditEventQuery(parameters, descending);
        query.sql(null, 1);
        return query;
    }

    private static boolean sort(String[] values) {
        if (values.length != 1 || !(values[0].equals("date") || values[0].equals("-date"))) {
            throw new InvalidRequestException("AuditEvent searches sort by _sort=date or _sort=-date only");
        }
        return values[0].startsWith("-");
    }

    /** The SQL of this query's page after {@code after} (null for the first), at most {@code limit} rows. */
    public Sql sql(Position after, int limit) {
        StringBuilder where = new StringBuilder("true");
        List<Object> arguments = new ArrayList<>();
        for (Map.Entry<String, List<String>> parameter : parameters.entrySet()) {
            String name = parameter.getKey();
            boolean identifier = name.endsWith(":identifier");
            String base = name.contains(":") ? name.substring(0, name.indexOf(':')) : name;
            for (String value : parameter.getValue()) {
                List<String> alternatives = split(value);
                where.append(" and (");
                switch (base) {
                    case "date" -> date(alternatives, where, arguments);
                    case "patient" -> overlap("patients", references(alternatives, "Patient", identifier), where, arguments);
                    case "entity" -> overlap("entities", references(alternatives, null, identifier), where, arguments);
                    case "agent" -> overlap("agents", references(alternatives, null, identifier), where, arguments);
                    case "source" -> equalsAny("source", references(alternatives, null, identifier), where, arguments);
                    case "agent-name" -> agentName(alternatives, name.endsWith(":exact"), where, arguments);
                    case "action" -> equalsAny("action", codes(alternatives), where, arguments);
                    case "outcome" -> equalsAny("outcome", codes(alternatives), where, arguments);
                    case "_id" -> equalsAny("event_id", alternatives, where, arguments);
                    case "type" -> tokens("array[type]", alternatives, where, arguments);
                    case "subtype" -> tokens("subtypes", alternatives, where, arguments);
                    default -> throw new IllegalStateException("unhandled AuditEvent parameter " + base);
                }
                where.append(")");
            }
        }
        String direction = descending ? "desc" : "asc";
        if (after != null) {
            where.append(descending ? " and (recorded, entry_id) < (?, ?)" : " and (recorded, entry_id) > (?, ?)");
            arguments.add(after.recorded().atOffset(java.time.ZoneOffset.UTC));
            arguments.add(after.entryId());
        }
        arguments.add(limit);
        return new Sql("select entry_id, recorded, content from audit_event where " + where
                + " order by recorded " + direction + ", entry_id " + direction + " limit ?", arguments.toArray());
    }

    private static void date(List<String> alternatives, StringBuilder where, List<Object> arguments) {
        List<String> ranges = new ArrayList<>();
        for (String value : alternatives) {
            DateParam param;
            try {
                param = new DateParam(value);
            } catch (RuntimeException e) {
                throw new InvalidRequestException("AuditEvent date '" + value + "' is not a FHIR date search value");
            }
            if (param.getValue() == null || param.getPrefix() == ParamPrefixEnum.NOT_EQUAL) {
                throw new InvalidRequestException("AuditEvent date takes a date with the prefix eq, gt, ge, lt, le, sa, eb or ap");
            }
            DateRangeParam range = new DateRangeParam(param);
            StringBuilder clause = new StringBuilder("(true");
            if (range.getLowerBoundAsInstant() != null) {
                clause.append(" and recorded >= ?");
                arguments.add(range.getLowerBoundAsInstant().toInstant().atOffset(java.time.ZoneOffset.UTC));
            }
            if (range.getUpperBoundAsInstant() != null) {
                clause.append(" and recorded <= ?");
                arguments.add(range.getUpperBoundAsInstant().toInstant().atOffset(java.time.ZoneOffset.UTC));
            }
            ranges.add(clause.append(")").toString());
        }
        where.append(String.join(" or ", ranges));
    }

    /** References as the columns hold them: {@code Type/id}, or {@code system|value} for {@code :identifier}. */
    private static List<String> references(List<String> values, String impliedType, boolean identifier) {
        List<String> references = new ArrayList<>();
        for (String value : values) {
            if (identifier) {
                references.add(value.contains("|") ? value : "|" + value);
                continue;
            }
            String reference = value.replaceFirst("^https?://[^?#]*/(?=[A-Z][A-Za-z]+/[^/]+$)", "");
            if (!reference.contains("/")) {
                if (impliedType == null) {
                    throw new InvalidRequestException("AuditEvent reference '" + value + "' needs its type: Type/id");
                }
                reference = impliedType + "/" + reference;
            }
            references.add(reference.replaceFirst("/_history/.*$", ""));
        }
        return references;
    }

    private static List<String> codes(List<String> values) {
        return values.stream().map(v -> v.contains("|") ? v.substring(v.indexOf('|') + 1) : v).toList();
    }

    private static void overlap(String column, List<String> values, StringBuilder where, List<Object> arguments) {
        where.append(column).append(" && ?::text[]");
        arguments.add(values.toArray(String[]::new));
    }

    private static void equalsAny(String column, List<String> values, StringBuilder where, List<Object> arguments) {
        where.append(column).append(" = any (?::text[])");
        arguments.add(values.toArray(String[]::new));
    }

    /** {@code system|code} exactly; {@code code} in any system; {@code |code} without a system; {@code system|} any code. */
    private static void tokens(String column, List<String> values, StringBuilder where, List<Object> arguments) {
        List<String> exact = new ArrayList<>();
        List<String> patterns = new ArrayList<>();
        for (String value : values) {
            int bar = value.indexOf('|');
            if (bar < 0) {
                patterns.add("%|" + like(value));
            } else if (bar == value.length() - 1) {
                patterns.add(like(value) + "%");
            } else {
                exact.add(value);
            }
        }
        where.append(column).append(" && ?::text[]");
        arguments.add(exact.toArray(String[]::new));
        if (!patterns.isEmpty()) {
            where.append(" or exists (select 1 from unnest(").append(column).append(") t where t like any (?::text[]))");
            arguments.add(patterns.toArray(String[]::new));
        }
    }

    private static void agentName(List<String> values, boolean exact, StringBuilder where, List<Object> arguments) {
        where.append("exists (select 1 from unnest(agent_names) n where n like any (?::text[]))");
        arguments.add(values.stream().map(v -> like(v.toLowerCase(Locale.ROOT)) + (exact ? "" : "%")).toArray(String[]::new));
    }

    private static String like(String value) {
        return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    /** Comma-separated alternatives, {@code \,} being a comma within a value. */
    static List<String> split(String value) {
        List<String> parts = new ArrayList<>();
        StringBuilder part = new StringBuilder();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\' && i + 1 < value.length() && (value.charAt(i + 1) == ',' || value.charAt(i + 1) == '\\')) {
                part.append(value.charAt(++i));
            } else if (c == ',') {
                parts.add(part.toString());
                part.setLength(0);
            } else {
                part.append(c);
            }
        }
        parts.add(part.toString());
        return parts;
    }

    private static Map<String, String> orderedMap(String... pairs) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return java.util.Collections.unmodifiableMap(map);
    }
}

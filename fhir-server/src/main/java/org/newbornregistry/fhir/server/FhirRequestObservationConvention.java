package org.newbornregistry.fhir.server;

import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;
import org.springframework.http.server.observation.DefaultServerRequestObservationConvention;
import org.springframework.http.server.observation.ServerRequestObservationContext;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * Names FHIR requests in the {@code http.server.requests} metrics the way Spring MVC names its own,
 * by route template — {@code /fhir/{type}/{id}/_history/{vid}} — instead of {@code UNKNOWN} (HAPI's
 * servlet has no Spring MVC pattern), with the resource type in a tag of its own, {@code fhir.resource}.
 * Both come from fixed lists: the dozen request shapes HAPI routes, the types this registry serves, and
 * a few operation names; any other path is {@code /fhir/**} and any other type {@code other}. So a
 * client probing made-up paths (before or after sign-in) cannot add series, nor push the application's
 * own URIs past Spring Boot's {@code max-uri-tags} limit. Ids never appear. Requests outside the FHIR
 * base carry {@code fhir.resource=none}, so every series of the meter has the same tags.
 */
public class FhirRequestObservationConvention extends DefaultServerRequestObservationConvention {

    static final String RESOURCE_TAG = "fhir.resource";
    private static final String ANY = "/**";
    private static final Set<String> OPERATIONS = Set.of("$reidentify", "$validate", "$meta", "$everything");
    private static final Pattern SLASHES = Pattern.compile("/+");

    private final String basePath;
    private final Set<String> servedTypes;

    /**
     * @param basePath    the FHIR base, {@code /fhir}
     * @param servedTypes the resource types the server answers for
     */
    public FhirRequestObservationConvention(String basePath, Set<String> servedTypes) {
        this.basePath = basePath;
        this.servedTypes = Set.copyOf(servedTypes);
    }

    @Override
    public KeyValues getLowCardinalityKeyValues(ServerRequestObservationContext context) {
        String path = fhirPath(context);
        return super.getLowCardinalityKeyValues(context).and(KeyValue.of(RESOURCE_TAG, path == null ? "none" : resource(path)));
    }

    @Override
    protected KeyValue uri(ServerRequestObservationContext context) {
        String path = fhirPath(context);
        return path == null ? super.uri(context) : KeyValue.of("uri", template(path));
    }

    /** The path below the FHIR base of a request to the HAPI servlet, else null. */
    private String fhirPath(ServerRequestObservationContext context) {
        if (context.getPathPattern() != null) {
            return null;
        }
        String path = context.getCarrier().getRequestURI().substring(context.getCarrier().getContextPath().length());
        return path.equals(basePath) || path.startsWith(basePath + "/") ? path.substring(basePath.length()) : null;
    }

    /** The type a path names: a served type, {@code other}, or {@code none} for the system level. */
    String resource(String path) {
        String[] segments = segments(path);
        if (segments.length == 0 || segments[0].equals("metadata") || segments[0].startsWith("$") || segments[0].startsWith("_")) {
            return "none";
        }
        return servedTypes.contains(segments[0]) ? segments[0] : "other";
    }

    /** The route template of a path below the FHIR base: one of a fixed set, never a value from the path. */
    String template(String path) {
        String[] s = segments(path);
        String shape = switch (s.length) {
            case 0 -> "";
            case 1 -> s[0].equals("metadata") || s[0].equals("_history") ? "/" + s[0]
                    : s[0].startsWith("$") ? "/" + operation(s[0]) : s[0].startsWith("_") ? ANY : "/{type}";
            case 2 -> s[0].startsWith("$") ? ANY
                    : s[1].equals("_search") || s[1].equals("_history") ? "/{type}/" + s[1]
                    : s[1].startsWith("$") ? "/{type}/" + operation(s[1]) : "/{type}/{id}";
            case 3 -> s[2].equals("_history") ? "/{type}/{id}/_history"
                    : s[2].startsWith("$") && !s[1].startsWith("$") && !s[1].startsWith("_") ? "/{type}/{id}/" + operation(s[2]) : ANY;
            case 4 -> s[2].equals("_history") ? "/{type}/{id}/_history/{vid}" : ANY;
            default -> ANY;
        };
        return basePath + shape;
    }

    private static String[] segments(String path) {
        String trimmed = path.startsWith("/") ? path.substring(1) : path;
        return trimmed.isEmpty() ? new String[0] : SLASHES.split(trimmed);
    }

    private static String operation(String segment) {
        return OPERATIONS.contains(segment) ? segment : "{operation}";
    }
}

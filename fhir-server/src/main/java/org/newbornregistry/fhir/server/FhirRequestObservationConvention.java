package org.newbornregistry.fhir.server;

import ca.uhn.fhir.context.FhirContext;
import io.micrometer.common.KeyValue;
import org.springframework.http.server.observation.DefaultServerRequestObservationConvention;
import org.springframework.http.server.observation.ServerRequestObservationContext;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * Names FHIR requests in the {@code http.server.requests} metrics the way Spring MVC names its own:
 * by route template, {@code /fhir/Patient/{id}/_history/{vid}}, instead of {@code UNKNOWN} (HAPI's
 * servlet has no Spring MVC pattern). Only resource types the FHIR version defines and a fixed set of
 * operation names become tag values; anything else is {@code {type}} or {@code {operation}}, so a
 * client cannot grow the metrics' cardinality with made-up paths. Ids never appear.
 */
public class FhirRequestObservationConvention extends DefaultServerRequestObservationConvention {

    private static final Set<String> OPERATIONS = Set.of("$reidentify", "$validate", "$meta", "$meta-add", "$meta-delete",
            "$everything");
    private static final Set<String> KEYWORDS = Set.of("_search", "_history", "metadata");
    private static final Pattern SLASHES = Pattern.compile("/+");

    private final String basePath;
    private final Set<String> resourceTypes;

    public FhirRequestObservationConvention(String basePath, FhirContext fhirContext) {
        this.basePath = basePath;
        this.resourceTypes = Set.copyOf(fhirContext.getResourceTypes());
    }

    @Override
    protected KeyValue uri(ServerRequestObservationContext context) {
        String path = context.getCarrier().getRequestURI().substring(context.getCarrier().getContextPath().length());
        if (context.getPathPattern() == null && (path.equals(basePath) || path.startsWith(basePath + "/"))) {
            return KeyValue.of("uri", template(path.substring(basePath.length())));
        }
        return super.uri(context);
    }

    /** The template of a path below the FHIR base: each segment named by what it is, never by its value. */
    String template(String path) {
        StringBuilder template = new StringBuilder(basePath);
        String[] segments = SLASHES.split(path.startsWith("/") ? path.substring(1) : path);
        for (int i = 0; i < segments.length && i < 4; i++) {
            String segment = segments[i];
            if (segment.isEmpty()) {
                continue;
            }
            template.append('/').append(switch (i) {
                case 0 -> resourceTypes.contains(segment) || KEYWORDS.contains(segment) ? segment : operation(segment, "{type}");
                case 1 -> KEYWORDS.contains(segment) ? segment : operation(segment, "{id}");
                case 2 -> KEYWORDS.contains(segment) ? segment : operation(segment, "{segment}");
                default -> "{vid}";
            });
        }
        return template.toString();
    }

    private static String operation(String segment, String otherwise) {
        if (segment.startsWith("$")) {
            return OPERATIONS.contains(segment) ? segment : "{operation}";
        }
        return otherwise;
    }
}

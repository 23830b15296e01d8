package org.newbornregistry.fhir.search;

import java.util.Map;
import java.util.Set;

/**
 * The FHIR search parameters the registry serves, per resource type: what hospitals (a newborn by
 * identifier, by name and birth date; the records about her), labs (a specimen by accession or
 * identifier, an order, a result by code or specimen) and auditors (consents by patient, status,
 * period and purpose; provenance by target) search, and what the registry itself looks up. Only
 * these are indexed, listed in the CapabilityStatement and accepted; any other is refused with
 * 400, as one the registry does not know. Each specification parameter left out saves its index
 * rows on every write: a birth used to write ~115 of them.
 *
 * <p>The registry's own SearchParameters (its conformance package) are always served.
 */
public final class ServedSearchParameters {

    /** What every type is searched by: its id, when it changed, and the tags (custody) and profiles it carries. */
    static final Set<String> EVERY_TYPE = Set.of("_id", "_lastUpdated", "_tag", "_profile", "_security");

    static final Map<String, Set<String>> BY_TYPE = Map.ofEntries(
            Map.entry("Patient", Set.of("identifier", "name", "family", "given", "birthdate", "gender", "link", "organization",
                    "general-practitioner", "active", "address-postalcode", "phone", "telecom")),
            Map.entry("RelatedPerson", Set.of("identifier", "patient", "relationship", "name", "birthdate", "gender", "phone",
                    "telecom", "active")),
            Map.entry("Encounter", Set.of("identifier", "subject", "patient", "date", "status", "class", "type",
                    "service-provider", "location", "participant")),
            Map.entry("Organization", Set.of("identifier", "name", "partof", "type", "active")),
            Map.entry("Practitioner", Set.of("identifier", "name", "family", "given", "active")),
            Map.entry("PractitionerRole", Set.of("identifier", "practitioner", "organization", "role", "location")),
            Map.entry("Location", Set.of("identifier", "name", "organization", "type", "partof", "status")),
            Map.entry("Specimen", Set.of("identifier", "accession", "subject", "patient", "type", "status", "collected", "parent",
                    "container-id")),
            Map.entry("ServiceRequest", Set.of("identifier", "subject", "patient", "code", "status", "authored", "specimen",
                    "requester", "based-on", "instantiates-canonical", "encounter", "category", "intent")),
            Map.entry("Observation", Set.of("identifier", "subject", "patient", "code", "date", "status", "specimen", "category",
                    "based-on", "encounter", "performer", "method", "value-string", "value-concept", "value-date",
                    "component-code", "component-value-concept", "combo-code", "combo-value-concept")),
            Map.entry("DiagnosticReport", Set.of("identifier", "subject", "patient", "code", "status", "date", "issued",
                    "specimen", "result", "based-on", "category", "encounter", "performer")),
            Map.entry("Consent", Set.of("identifier", "patient", "status", "category", "date", "period", "organization",
                    "purpose", "scope", "action", "actor", "consentor", "source-reference", "data")),
            Map.entry("Provenance", Set.of("target", "patient", "agent", "recorded", "entity", "activity", "when")),
            Map.entry("Device", Set.of("identifier", "type", "status", "patient", "organization")));

    private ServedSearchParameters() {
    }

    /** Whether the registry serves the specification's parameter {@code name} on {@code type}. */
    public static boolean served(String type, String name) {
        return EVERY_TYPE.contains(name) || BY_TYPE.getOrDefault(type, Set.of()).contains(name);
    }
}

package org.newbornregistry.fhir.store;

import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Resource;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The organisation a registry record belongs to, kept as a {@code meta.tag} so that it is
 * searchable with {@code _tag} and travels with every version. Only the registry sets it: on
 * creation from the writer's {@link WriteOrigin}, carried forward unchanged by every later
 * version; a tag of this system sent by a client is replaced.
 */
public final class Custodian {

    /** The {@code meta.tag} system whose code is the custodian organisation's id. */
    public static final String TAG_SYSTEM = "https://fhir.newbornregistry.org/CodeSystem/custodian-organization";

    /**
     * Types no organisation holds: the registry's own audit records and conformance resources, and
     * the directory (practitioners, their roles, organisations, locations) that the records of every
     * organisation refer to and whose readers must be able to resolve those references.
     */
    private static final Set<String> NOT_HELD = Set.of("AuditEvent", "StructureDefinition", "CodeSystem", "ValueSet",
            "SearchParameter", "Practitioner", "PractitionerRole", "Organization", "Location");

    private Custodian() {
    }

    /** The custodian organisation recorded on a resource. */
    public static Optional<String> of(Resource resource) {
        return resource.getMeta().getTag().stream().filter(tag -> TAG_SYSTEM.equals(tag.getSystem()))
                .map(Coding::getCode).filter(code -> code != null && !code.isEmpty()).findFirst();
    }

    /** Makes {@code organisation} (null for none) the resource's only custodian tag; a type no organisation holds gets none. */
    static void assign(Resource resource, String organisation) {
        resource.getMeta().getTag().removeIf(tag -> TAG_SYSTEM.equals(tag.getSystem()));
        if (organisation != null && isHeld(resource.fhirType())) {
            resource.getMeta().addTag(TAG_SYSTEM, organisation, null);
        }
    }

    /** Whether organisations hold resources of this type: not the registry's audit records nor its conformance resources. */
    public static boolean isHeld(String type) {
        return !NOT_HELD.contains(type);
    }

    /**
     * The organisation a search's parameters are narrowed to ({@link #narrowed}), if they are:
     * what it includes beside its matches is narrowed the same way.
     */
    public static Optional<String> narrowedTo(Map<String, List<String>> parameters) {
        return parameters.getOrDefault("_tag", List.of()).stream()
                .filter(tag -> tag.startsWith(TAG_SYSTEM + "|"))
                .map(tag -> tag.substring(TAG_SYSTEM.length() + 1))
                .findFirst();
    }

    /** Search parameters narrowed to {@code organisation}'s records: its custodian tag is added to any {@code _tag} given. */
    public static Map<String, String[]> narrowed(Map<String, String[]> parameters, String organisation) {
        Map<String, String[]> narrowed = new TreeMap<>(parameters);
        String[] tags = parameters.getOrDefault("_tag", new String[0]);
        String[] withCustodian = Arrays.copyOf(tags, tags.length + 1);
        withCustodian[tags.length] = TAG_SYSTEM + "|" + organisation;
        narrowed.put("_tag", withCustodian);
        return narrowed;
    }
}

package org.newbornregistry.adapter.mapping;

import org.hl7.fhir.r4.model.Resource;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * What a mapped resource says beyond its content when it updates a stored record with HL7 v2
 * semantics (v2.9 chapter 2.5.3): the elements whose fields were sent as the explicit null
 * {@code ""}, which the update removes (an empty field leaves them as they are), and the elements
 * the mapping filled in only because FHIR requires one, which the update takes only where the
 * record has none. Kept on the resource until {@link TransactionBuilder#update} writes them into
 * the Bundle entry.
 */
final class V2Update {

    private static final String CLEARED = V2Update.class.getName() + ".cleared";
    private static final String DEFAULTED = V2Update.class.getName() + ".defaulted";

    private V2Update() {
    }

    /** Records that the sender cleared {@code path} (a dotted element path, or {@link #extension}). */
    static void cleared(Resource resource, String path) {
        paths(resource, CLEARED).add(path);
    }

    /** Records that {@code path} holds a value the mapping chose because the field was empty. */
    static void defaulted(Resource resource, String path) {
        paths(resource, DEFAULTED).add(path);
    }

    /** An extension of the resource, by its url, as {@link #cleared} names it. */
    static String extension(String url) {
        return "extension('" + url + "')";
    }

    /** What the sender cleared, in the order the fields were read. */
    static Set<String> cleared(Resource resource) {
        return read(resource, CLEARED);
    }

    /** What the mapping filled in, in the order the fields were read. */
    static Set<String> defaulted(Resource resource) {
        return read(resource, DEFAULTED);
    }

    @SuppressWarnings("unchecked")
    private static Set<String> read(Resource resource, String key) {
        Object paths = resource.getUserData(key);
        return paths == null ? Set.of() : (Set<String>) paths;
    }

    @SuppressWarnings("unchecked")
    private static Set<String> paths(Resource resource, String key) {
        Object paths = resource.getUserData(key);
        if (paths == null) {
            paths = new LinkedHashSet<String>();
            resource.setUserData(key, paths);
        }
        return (Set<String>) paths;
    }
}

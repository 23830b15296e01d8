package org.newbornregistry.fhir.store;

import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Resource;

import java.util.Optional;

/**
 * The organisation a registry record belongs to, kept as a {@code meta.tag} so that it is
 * searchable with {@code _tag} and travels with every version. Only the registry sets it: on
 * creation from the writer's {@link WriteOrigin}, carried forward unchanged by every later
 * version; a tag of this system sent by a client is replaced.
 */
public final class Custodian {

    /** The {@code meta.tag} system whose code is the custodian organisation's id. */
    public static final String TAG_SYSTEM = "https://fhir.newbornregistry.org/CodeSystem/custodian-organization";

    private Custodian() {
    }

    /** The custodian organisation recorded on a resource. */
    public static Optional<String> of(Resource resource) {
        return resource.getMeta().getTag().stream().filter(tag -> TAG_SYSTEM.equals(tag.getSystem()))
                .map(Coding::getCode).filter(code -> code != null && !code.isEmpty()).findFirst();
    }

    /** Makes {@code organisation} (null for none) the resource's only custodian tag. */
    static void assign(Resource resource, String organisation) {
        resource.getMeta().getTag().removeIf(tag -> TAG_SYSTEM.equals(tag.getSystem()));
        if (organisation != null) {
            resource.getMeta().addTag(TAG_SYSTEM, organisation, null);
        }
    }

    /** The {@code _tag} search value that finds an organisation's records. */
    public static String searchToken(String organisation) {
        return TAG_SYSTEM + "|" + organisation;
    }
}

package org.newbornregistry.fhir.store;

import org.hl7.fhir.instance.model.api.IIdType;

/** The type and logical id of a resource in this registry. */
public record ResourceKey(String type, String id) {

    /** The key of an id that has a type and id part. */
    public static ResourceKey of(IIdType id) {
        return new ResourceKey(id.getResourceType(), id.getIdPart());
    }

    @Override
    public String toString() {
        return type + "/" + id;
    }
}

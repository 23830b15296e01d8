package org.newbornregistry.fhir.store;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.model.api.ResourceMetadataKeyEnum;
import ca.uhn.fhir.model.valueset.BundleEntryTransactionMethodEnum;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.Resource;

import java.util.Date;

/**
 * Converts between resources and the JSON the store keeps. Stored JSON already carries the id,
 * {@code meta.versionId} and {@code meta.lastUpdated} of its version.
 */
public final class ResourceCodec {

    private final FhirContext fhirContext;

    public ResourceCodec(FhirContext fhirContext) {
        this.fhirContext = fhirContext;
    }

    /** The JSON to store. */
    public String encode(IBaseResource resource) {
        return fhirContext.newJsonParser().encodeResourceToString(resource);
    }

    /** The resource of a stored version that is not a deletion. */
    public IBaseResource decode(StoredResource stored) {
        Resource resource = (Resource) fhirContext.newJsonParser().parseResource(stored.content());
        resource.setId(new IdType(stored.type(), stored.id(), Long.toString(stored.version())));
        return resource;
    }

    /**
     * The resource of a stored version as a history entry: marked with the interaction that
     * wrote it, and, for a deletion, an empty resource of its type carrying only its versioned id.
     */
    public IBaseResource decodeForHistory(StoredResource stored) {
        IdType id = new IdType(stored.type(), stored.id(), Long.toString(stored.version()));
        Resource resource;
        if (stored.isDeleted()) {
            resource = (Resource) fhirContext.getResourceDefinition(stored.type()).newInstance();
            resource.setId(id);
            resource.getMeta().setVersionId(id.getVersionIdPart())
                    .setLastUpdatedElement(new InstantType(Date.from(stored.lastUpdated())));
        } else {
            resource = (Resource) decode(stored);
        }
        ResourceMetadataKeyEnum.ENTRY_TRANSACTION_METHOD.put(
                resource, BundleEntryTransactionMethodEnum.valueOf(stored.method()));
        return resource;
    }
}

package org.newbornregistry.fhir.search;

import ca.uhn.fhir.context.RuntimeSearchParam;
import ca.uhn.fhir.fhirpath.IFhirPath;
import ca.uhn.fhir.rest.api.RestSearchParameterTypeEnum;

import java.util.List;
import java.util.Set;

/**
 * A search parameter of one resource type that the registry indexes and searches on, taken from
 * the FHIR specification's definition in HAPI's {@code FhirContext}.
 *
 * @param resourceType the type it belongs to
 * @param name         its code, e.g. {@code birthdate}
 * @param type         token, string, date, reference or uri
 * @param expressions  the parsed FHIRPath branches of its expression that apply to this type
 * @param targets      for references: the resource types it may point to
 * @param definition   HAPI's definition, for the CapabilityStatement
 */
public record IndexedSearchParameter(
        String resourceType,
        String name,
        RestSearchParameterTypeEnum type,
        List<IFhirPath.IParsedExpression> expressions,
        Set<String> targets,
        RuntimeSearchParam definition) {

    /** {@code _id}: searched on the resource table, not extracted. */
    public static final String ID = "_id";
    /** {@code _lastUpdated}: searched on the resource table, not extracted. */
    public static final String LAST_UPDATED = "_lastUpdated";

    /** Whether the value lives on the resource row rather than in an index table. */
    public boolean isResourceColumn() {
        return ID.equals(name) || LAST_UPDATED.equals(name);
    }
}

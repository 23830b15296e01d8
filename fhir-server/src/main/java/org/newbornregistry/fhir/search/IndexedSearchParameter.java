package org.newbornregistry.fhir.search;

import ca.uhn.fhir.context.RuntimeSearchParam;
import ca.uhn.fhir.fhirpath.IFhirPath;
import ca.uhn.fhir.rest.api.RestSearchParameterTypeEnum;
import org.hl7.fhir.instance.model.api.IBase;
import org.hl7.fhir.instance.model.api.IBaseResource;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
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
 * @param direct       reads what {@code expressions} select straight from the fields ({@link DirectPaths}), or null
 */
public record IndexedSearchParameter(
        String resourceType,
        String name,
        RestSearchParameterTypeEnum type,
        List<IFhirPath.IParsedExpression> expressions,
        Set<String> targets,
        RuntimeSearchParam definition,
        Function<IBaseResource, List<? extends IBase>> direct) {

    /** {@code _id}: searched on the resource table, not extracted. */
    public static final String ID = "_id";
    /** {@code _lastUpdated}: searched on the resource table, not extracted. */
    public static final String LAST_UPDATED = "_lastUpdated";

    /** The elements of {@code resource} this parameter indexes: read directly where a reader exists, else by FHIRPath. */
    public List<? extends IBase> select(IBaseResource resource, IFhirPath fhirPath) {
        return direct != null ? direct.apply(resource) : selectByFhirPath(resource, fhirPath);
    }

    /** The elements the FHIRPath expression selects, whether or not a direct reader exists: what {@link #select} must equal. */
    List<IBase> selectByFhirPath(IBaseResource resource, IFhirPath fhirPath) {
        List<IBase> selected = new ArrayList<>();
        for (IFhirPath.IParsedExpression expression : expressions) {
            selected.addAll(fhirPath.evaluate(resource, expression, IBase.class));
        }
        return selected;
    }

    /** Whether the value lives on the resource row rather than in an index table. */
    public boolean isResourceColumn() {
        return ID.equals(name) || LAST_UPDATED.equals(name);
    }
}

package org.newbornregistry.fhir.provider;

import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.OptionalParam;
import ca.uhn.fhir.rest.annotation.Read;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.param.StringParam;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.param.UriParam;
import ca.uhn.fhir.rest.server.IResourceProvider;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.MetadataResource;
import org.newbornregistry.adapter.error.NbrError;
import org.newbornregistry.fhir.error.RegistryErrors;

import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * Read and search, nothing else, over one type of the registry's own conformance resources
 * (StructureDefinition, CodeSystem, ValueSet) as the package ships them, profiles with their
 * snapshots: clients fetch the exact shape the registry validates against. The package is
 * part of the application, so these are not stored and cannot be written.
 *
 * <p>Search parameters: {@code _id}, {@code url} (exact), {@code version} (exact), {@code name}
 * (case-insensitive, starts with; {@code :exact} for exact), {@code status}.
 */
public class ConformanceResourceProvider<T extends MetadataResource> implements IResourceProvider {

    /** The search parameters {@link #search} takes, for the CapabilityStatement. */
    public static final List<String> SEARCH_PARAMETERS = List.of("_id", "url", "version", "name", "status");

    private final Class<T> resourceType;
    private final List<T> resources;

    public ConformanceResourceProvider(Class<T> resourceType, List<T> resources) {
        this.resourceType = resourceType;
        this.resources = List.copyOf(resources);
    }

    @Override
    public Class<T> getResourceType() {
        return resourceType;
    }

    /** read. */
    @Read
    public T read(@IdParam IIdType id) {
        return resources.stream().filter(r -> r.getIdElement().getIdPart().equals(id.getIdPart())).findFirst()
                .orElseThrow(() -> RegistryErrors.exception(NbrError.RESOURCE_NOT_FOUND,
                        resourceType.getSimpleName() + "/" + id.getIdPart() + " is not a resource of the registry's package"));
    }

    /** search by id, canonical URL, version, name and status. */
    @Search
    public List<T> search(@OptionalParam(name = "_id") TokenParam id,
                          @OptionalParam(name = "url") UriParam url,
                          @OptionalParam(name = "version") TokenParam version,
                          @OptionalParam(name = "name") StringParam name,
                          @OptionalParam(name = "status") TokenParam status) {
        Predicate<T> match = r -> true;
        if (id != null) {
            match = match.and(r -> r.getIdElement().getIdPart().equals(id.getValue()));
        }
        if (url != null) {
            match = match.and(r -> r.getUrl().equals(url.getValue()));
        }
        if (version != null) {
            match = match.and(r -> r.getVersion().equals(version.getValue()));
        }
        if (name != null) {
            String wanted = name.getValue().toLowerCase(Locale.ROOT);
            match = match.and(r -> name.isExact() ? r.getName().equals(name.getValue())
                    : r.getName().toLowerCase(Locale.ROOT).startsWith(wanted));
        }
        if (status != null) {
            match = match.and(r -> r.getStatus() != null && r.getStatus().toCode().equals(status.getValue()));
        }
        return resources.stream().filter(match).toList();
    }
}

package org.newbornregistry.fhir.provider;

import org.hl7.fhir.r4.model.Resource;

import org.newbornregistry.fhir.store.Custodian;

import org.newbornregistry.fhir.security.TokenClaims;

import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;

import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;

import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;

import ca.uhn.fhir.rest.annotation.ConditionalUrlParam;
import ca.uhn.fhir.rest.annotation.Count;
import ca.uhn.fhir.rest.annotation.Create;
import ca.uhn.fhir.rest.annotation.Delete;
import ca.uhn.fhir.rest.annotation.History;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Offset;
import ca.uhn.fhir.rest.annotation.Read;
import ca.uhn.fhir.rest.annotation.ResourceParam;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.annotation.Since;
import ca.uhn.fhir.rest.annotation.Update;
import ca.uhn.fhir.rest.api.Constants;
import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.rest.server.exceptions.NotModifiedException;
import ca.uhn.fhir.util.DateUtils;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.newbornregistry.adapter.error.NbrError;
import org.newbornregistry.fhir.error.RegistryErrors;
import org.newbornregistry.fhir.store.RegistryReadService;
import org.newbornregistry.fhir.store.RegistryWriteService;
import org.newbornregistry.fhir.store.ResourceKey;
import org.newbornregistry.fhir.store.WriteOutcome;

import java.util.Date;
import java.util.Optional;

/**
 * The REST interactions of one resource type: read, vread, create, update, delete (each with its
 * conditional form where FHIR has one), instance and type history, and search. One instance
 * serves each type the registry holds; all of them delegate to the read and write services.
 */
public class RegistryResourceProvider<T extends IBaseResource> implements IResourceProvider {

    private final Class<T> resourceType;
    private final String typeName;
    private final RegistryReadService reads;
    private final RegistryWriteService writes;
    private final RequestOrigins origins;

    public RegistryResourceProvider(Class<T> resourceType, String typeName,
                                    RegistryReadService reads, RegistryWriteService writes, RequestOrigins origins) {
        this.resourceType = resourceType;
        this.typeName = typeName;
        this.reads = reads;
        this.writes = writes;
        this.origins = origins;
    }

    @Override
    public Class<T> getResourceType() {
        return resourceType;
    }

    /** read and vread, each answering 304 to an If-Modified-Since that the resource has not changed since. */
    @Read(version = true)
    public IBaseResource read(@IdParam IIdType id, RequestDetails request) {
        ResourceKey key = new ResourceKey(typeName, id.getIdPart());
        if (!id.hasVersionIdPart()) {
            return notModifiedSince(reads.read(key), request);
        }
        long version;
        try {
            version = id.getVersionIdPartAsLong();
        } catch (NumberFormatException e) {
            throw notAVersionOf(key);
        }
        try {
            return notModifiedSince(reads.vread(key, version), request);
        } catch (ResourceNotFoundException | ResourceGoneException e) {
            throw notAVersionOf(key);
        }
    }

    /**
     * The error for a version that is not there: 404, unless the resource is another organisation's,
     * which a confined token is refused (403) whichever of its versions it asks for, so that the
     * answer does not tell how many versions it has.
     */
    private RuntimeException notAVersionOf(ResourceKey key) {
        Optional<String> organisation = TokenClaims.organization();
        if (organisation.isPresent() && Custodian.isHeld(key.type())) {
            Optional<IBaseResource> current = reads.find(key);
            if (current.isPresent() && !Custodian.of((Resource) current.get()).filter(organisation.get()::equals).isPresent()) {
                return new ForbiddenOperationException(key + " is not in the custody of the organisation the request comes from");
            }
        }
        return RegistryErrors.exception(NbrError.RESOURCE_NOT_FOUND, key + " has no such version");
    }

    /**
     * Throws 304 when If-Modified-Since is at or after the resource's last update, compared to the
     * second as HTTP dates are. Why: HAPI compares the header with the millisecond timestamp, so a
     * client sending back the Last-Modified it was given got the whole resource again.
     */
    private static IBaseResource notModifiedSince(IBaseResource resource, RequestDetails request) {
        String header = request.getHeader(Constants.HEADER_IF_MODIFIED_SINCE);
        Date lastUpdated = resource.getMeta().getLastUpdated();
        Date since = header == null ? null : DateUtils.parseDate(header);
        if (since != null && lastUpdated != null && lastUpdated.getTime() / 1000 <= since.getTime() / 1000) {
            throw new NotModifiedException("Not Modified");
        }
        return resource;
    }

    /** create, and conditional create with If-None-Exist. */
    @Create
    public MethodOutcome create(@ResourceParam T resource, @ConditionalUrlParam String ifNoneExist,
                                RequestDetails request) {
        return toMethodOutcome(writes.create(resource, ifNoneExist, origins.of(request)));
    }

    /** update (and update as create), with If-Match; and conditional update. */
    @Update
    public MethodOutcome update(@IdParam IIdType id, @ResourceParam T resource,
                                @ConditionalUrlParam String conditionalUrl, RequestDetails request) {
        if (conditionalUrl != null) {
            return toMethodOutcome(writes.conditionalUpdate(typeName, conditionalUrl, resource, origins.of(request)));
        }
        return toMethodOutcome(writes.update(new IdType(typeName, id.getIdPart(), id.getVersionIdPart()), resource,
                origins.of(request)));
    }

    /** delete and conditional delete. */
    @Delete
    public MethodOutcome delete(@IdParam IIdType id, @ConditionalUrlParam String conditionalUrl, RequestDetails request) {
        Optional<WriteOutcome> outcome = conditionalUrl != null
                ? writes.conditionalDelete(typeName, conditionalUrl, origins.of(request))
                : Optional.of(writes.delete(new IdType(typeName, id.getIdPart()), origins.of(request)));
        OperationOutcome message = new OperationOutcome();
        message.addIssue().setSeverity(OperationOutcome.IssueSeverity.INFORMATION)
                .setCode(OperationOutcome.IssueType.INFORMATIONAL)
                .setDiagnostics(outcome.map(o -> "Deleted " + o.key()).orElse("No resource matched; nothing deleted"));
        MethodOutcome result = new MethodOutcome().setOperationOutcome(message);
        outcome.ifPresent(o -> result.setId(new IdType(o.key().type(), o.key().id(), Long.toString(o.version()))));
        return result;
    }

    /** instance history, paged by {@code _offset} as HAPI links history pages. */
    @History
    public IBundleProvider instanceHistory(@IdParam IIdType id, @Since Date since, @Count Integer count,
                                           @Offset Integer offset) {
        return ResultPages.historyPage(reads.history(typeName, new ResourceKey(typeName, id.getIdPart()),
                since == null ? null : since.toInstant(), count, offset));
    }

    /** type history, paged by {@code _offset} as HAPI links history pages. */
    @History
    public IBundleProvider typeHistory(@Since Date since, @Count Integer count, @Offset Integer offset) {
        return ResultPages.historyPage(reads.history(typeName, null,
                since == null ? null : since.toInstant(), count, offset));
    }

    /**
     * search, over every parameter in the registry's search-parameter registry; HAPI hands over
     * all parameters and the registry's parser refuses the ones it cannot honour.
     */
    @Search(allowUnknownParams = true)
    public IBundleProvider search(RequestDetails request) {
        return ResultPages.searchPage(
                reads.search(typeName, request.getParameters(), request.getFhirServerBase()), ResultPages.FIRST_PAGE);
    }

    private static MethodOutcome toMethodOutcome(WriteOutcome outcome) {
        MethodOutcome result = new MethodOutcome(
                new IdType(outcome.key().type(), outcome.key().id(), Long.toString(outcome.version())));
        result.setCreated(outcome.created());
        result.setResource(outcome.resource());
        return result;
    }
}

package org.newbornregistry.fhir.interceptor;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import org.hl7.fhir.instance.model.api.IBaseConformance;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestComponent;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestResourceComponent;

import org.hl7.fhir.r4.model.StructureDefinition;
import org.newbornregistry.fhir.audit.store.AuditEventQuery;
import org.newbornregistry.fhir.provider.ConformanceResourceProvider;
import org.newbornregistry.fhir.validation.ConformancePackage;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.ArrayList;

/**
 * Completes the CapabilityStatement HAPI generates from the providers and the search-parameter
 * registry with what annotations cannot express: the software, versioning, update-as-create,
 * conditional interactions, the reference policy, the system-level interactions, and the
 * registry's profiles: each type's base definition ({@code profile}) and the package's profiles
 * of that type ({@code supportedProfile}), which what clients send is validated against. The
 * package's own conformance types (StructureDefinition, CodeSystem, ValueSet) are read-only.
 */
@Interceptor
public class CapabilityStatementInterceptor {

    private static final String CORE = "http://hl7.org/fhir/StructureDefinition/";

    private final String softwareVersion;
    private final Set<String> registryTypes;
    private final Map<String, List<String>> profilesByType = new LinkedHashMap<>();
    private final Set<String> conformanceTypes;

    /**
     * @param softwareVersion the adapter's version
     * @param registryTypes   the types the registry stores (HAPI adds others, such as OperationDefinition)
     * @param conformance     the registry's package, served read-only
     */
    public CapabilityStatementInterceptor(String softwareVersion, Set<String> registryTypes, ConformancePackage conformance) {
        this.softwareVersion = softwareVersion;
        this.registryTypes = Set.copyOf(registryTypes);
        Set<String> served = new java.util.LinkedHashSet<>();
        for (var resource : conformance.resources()) {
            served.add(resource.fhirType());
            if (resource instanceof StructureDefinition profile && profile.getKind() == StructureDefinition.StructureDefinitionKind.RESOURCE) {
                profilesByType.computeIfAbsent(profile.getType(), t -> new ArrayList<>()).add(profile.getUrl());
            }
        }
        this.conformanceTypes = Set.copyOf(served);
    }

    /** Adds the registry's behaviour to the generated statement. */
    @Hook(Pointcut.SERVER_CAPABILITY_STATEMENT_GENERATED)
    public void serverCapabilityStatementGenerated(IBaseConformance statement) {
        CapabilityStatement capabilities = (CapabilityStatement) statement;
        capabilities.getSoftware().setName("Newborn Registry Adapter").setVersion(softwareVersion);
        capabilities.getImplementation()
                .setDescription("Newborn DNA registry: FHIR R4 store on PostgreSQL with versioned, race-safe writes");
        for (CapabilityStatementRestComponent rest : capabilities.getRest()) {
            for (CapabilityStatementRestResourceComponent resource : rest.getResource()) {
                resource.setProfile(CORE + resource.getType());
                resource.getSupportedProfile().clear();
                profilesByType.getOrDefault(resource.getType(), List.of()).forEach(resource::addSupportedProfile);
                if (conformanceTypes.contains(resource.getType())) {
                    conformanceSearchParameters(resource);
                    // Why: HAPI lists every revinclude the server could follow; the package's read-only search follows none.
                    resource.getSearchInclude().clear();
                    resource.getSearchRevInclude().clear();
                }
                if ("AuditEvent".equals(resource.getType())) {
                    auditLog(resource);
                    continue;
                }
                if (!registryTypes.contains(resource.getType())) {
                    continue;
                }
                resource.setVersioning(CapabilityStatement.ResourceVersionPolicy.VERSIONEDUPDATE)
                        .setReadHistory(true)
                        .setUpdateCreate(true)
                        .setConditionalCreate(true)
                        .setConditionalUpdate(true)
                        .setConditionalRead(CapabilityStatement.ConditionalReadStatus.FULLSUPPORT)
                        .setConditionalDelete(CapabilityStatement.ConditionalDeleteStatus.SINGLE);
                resource.getReferencePolicy().clear();
                resource.addReferencePolicy(CapabilityStatement.ReferenceHandlingPolicy.LITERAL);
                resource.addReferencePolicy(CapabilityStatement.ReferenceHandlingPolicy.ENFORCED);
                resource.addReferencePolicy(CapabilityStatement.ReferenceHandlingPolicy.LOCAL);
            }
            ensureInteraction(rest, CapabilityStatement.SystemRestfulInteraction.TRANSACTION);
            ensureInteraction(rest, CapabilityStatement.SystemRestfulInteraction.BATCH);
        }
    }

    /**
     * The audit log is read-only over REST, searched by the audit store's own columns: exactly the
     * parameters {@link AuditEventQuery#PARAMETERS} names, no includes, sorted by date.
     */
    private static void auditLog(CapabilityStatementRestResourceComponent resource) {
        resource.getInteraction().removeIf(i -> i.getCode() != CapabilityStatement.TypeRestfulInteraction.READ
                && i.getCode() != CapabilityStatement.TypeRestfulInteraction.VREAD
                && i.getCode() != CapabilityStatement.TypeRestfulInteraction.SEARCHTYPE);
        resource.setVersioning(CapabilityStatement.ResourceVersionPolicy.VERSIONED)
                .setReadHistory(false)
                .setUpdateCreate(false)
                .setConditionalCreate(false)
                .setConditionalUpdate(false)
                .setConditionalRead(CapabilityStatement.ConditionalReadStatus.NOTSUPPORTED)
                .setConditionalDelete(CapabilityStatement.ConditionalDeleteStatus.NOTSUPPORTED);
        resource.getSearchParam().clear();
        AuditEventQuery.PARAMETERS.forEach((name, type) -> resource.addSearchParam().setName(name)
                .setType(org.hl7.fhir.r4.model.Enumerations.SearchParamType.fromCode(type)));
        resource.getSearchInclude().clear();
        resource.getSearchRevInclude().clear();
        resource.setDocumentation("The registry's audit log, written by the registry alone: read and search only "
                + "(create, update and delete are refused: 405, NBR-3008). "
                + "Search results are sorted by date (_sort=date, the default, or _sort=-date); other parameters are refused (400).");
    }

    /** The search parameters of the package's read-only types, which HAPI does not list from the registry's parameters. */
    private static void conformanceSearchParameters(CapabilityStatementRestResourceComponent resource) {
        for (String name : ConformanceResourceProvider.SEARCH_PARAMETERS) {
            if (resource.getSearchParam().stream().noneMatch(p -> p.getName().equals(name))) {
                resource.addSearchParam().setName(name).setType(switch (name) {
                    case "url" -> org.hl7.fhir.r4.model.Enumerations.SearchParamType.URI;
                    case "name" -> org.hl7.fhir.r4.model.Enumerations.SearchParamType.STRING;
                    default -> org.hl7.fhir.r4.model.Enumerations.SearchParamType.TOKEN;
                });
            }
        }
    }

    private static void ensureInteraction(CapabilityStatementRestComponent rest, CapabilityStatement.SystemRestfulInteraction code) {
        boolean present = rest.getInteraction().stream().anyMatch(i -> i.getCode() == code);
        if (!present) {
            rest.addInteraction().setCode(code);
        }
    }
}

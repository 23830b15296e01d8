package org.newbornregistry.fhir.interceptor;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import org.hl7.fhir.instance.model.api.IBaseConformance;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestComponent;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestResourceComponent;

import java.util.Set;

/**
 * Completes the CapabilityStatement HAPI generates from the providers and the search-parameter
 * registry with what annotations cannot express: the software, versioning, update-as-create,
 * conditional interactions, the reference policy, and the system-level interactions.
 */
@Interceptor
public class CapabilityStatementInterceptor {

    private final String softwareVersion;
    private final Set<String> registryTypes;

    /**
     * @param softwareVersion the adapter's version
     * @param registryTypes   the types the registry stores (HAPI adds others, such as OperationDefinition)
     */
    public CapabilityStatementInterceptor(String softwareVersion, Set<String> registryTypes) {
        this.softwareVersion = softwareVersion;
        this.registryTypes = Set.copyOf(registryTypes);
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

    private static void ensureInteraction(CapabilityStatementRestComponent rest, CapabilityStatement.SystemRestfulInteraction code) {
        boolean present = rest.getInteraction().stream().anyMatch(i -> i.getCode() == code);
        if (!present) {
            rest.addInteraction().setCode(code);
        }
    }
}

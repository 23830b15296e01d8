package org.newbornregistry.fhir.security;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import org.newbornregistry.fhir.store.Custodian;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Confines the searches of a token that names an organisation (a hospital's) to that
 * organisation's records, by adding {@code _tag=<custodian system>|<organisation>} to every search
 * of a custodial type — as HAPI's SearchNarrowingInterceptor adds compartment parameters, which
 * cannot express custody. The search then finds only the organisation's records; the
 * authorisation rules check each resource going out again ({@link CustodianRuleTester}).
 */
@Interceptor
public class CustodianSearchNarrowing {

    /** Types no organisation holds: the registry's own audit records and its conformance resources. */
    private static final Set<String> NOT_CUSTODIAL = Set.of("AuditEvent", "StructureDefinition", "CodeSystem", "ValueSet");

    @Hook(Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED)
    public void narrow(RequestDetails request, RestOperationTypeEnum operation) {
        if (operation != RestOperationTypeEnum.SEARCH_TYPE || NOT_CUSTODIAL.contains(request.getResourceName())) {
            return;
        }
        Optional<String> organisation = TokenClaims.organization();
        if (organisation.isEmpty()) {
            return;
        }
        Map<String, String[]> parameters = new HashMap<>(request.getParameters());
        String[] tags = parameters.getOrDefault("_tag", new String[0]);
        String[] narrowed = Arrays.copyOf(tags, tags.length + 1);
        narrowed[tags.length] = Custodian.searchToken(organisation.get());
        parameters.put("_tag", narrowed);
        request.setParameters(parameters);
    }
}

package org.newbornregistry.fhir.security;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import org.newbornregistry.fhir.store.Custodian;

import java.util.Optional;

/**
 * Confines the searches of a token that names an organisation (a hospital's) to that
 * organisation's records, by adding {@code _tag=<custodian system>|<organisation>} to every search
 * of a custodial type — as HAPI's SearchNarrowingInterceptor adds compartment parameters, which
 * cannot express custody. The search then finds only the organisation's records; the
 * authorisation rules check each resource going out again ({@link CustodianRuleTester}).
 */
@Interceptor
public class CustodianSearchNarrowing {

    @Hook(Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED)
    public void narrow(RequestDetails request, RestOperationTypeEnum operation) {
        if (operation != RestOperationTypeEnum.SEARCH_TYPE || !Custodian.isHeld(request.getResourceName())) {
            return;
        }
        Optional<String> organisation = TokenClaims.organization();
        if (organisation.isEmpty()) {
            return;
        }
        request.setParameters(Custodian.narrowed(request.getParameters(), organisation.get()));
    }
}

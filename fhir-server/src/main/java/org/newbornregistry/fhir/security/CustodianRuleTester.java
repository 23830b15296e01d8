package org.newbornregistry.fhir.security;

import ca.uhn.fhir.rest.server.interceptor.auth.IAuthRuleTester;
import org.hl7.fhir.r4.model.Resource;
import org.newbornregistry.fhir.store.Custodian;

/**
 * Narrows a read rule to one organisation's records: a resource leaves the server only if its
 * custodian is the organisation of the request's token. What a request asks for cannot be judged
 * before it is read (an id says nothing about custody), so every request passes the incoming check
 * and every resource going out is checked; {@link CustodianSearchNarrowing} keeps searches from
 * finding other organisations' records in the first place, so this check refuses only direct reads
 * of them.
 */
final class CustodianRuleTester implements IAuthRuleTester {

    private final String organisation;

    CustodianRuleTester(String organisation) {
        this.organisation = organisation;
    }

    @Override
    public boolean matches(RuleTestRequest request) {
        return true;
    }

    @Override
    public boolean matchesOutput(RuleTestRequest request) {
        return request.resource instanceof Resource resource
                && Custodian.of(resource).filter(organisation::equals).isPresent();
    }

    @Override
    public String toString() {
        return "custodian is the token's organization";
    }
}

package org.newbornregistry.fhir.security;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.interceptor.auth.AuthorizationInterceptor;
import ca.uhn.fhir.rest.server.interceptor.auth.IAuthRule;
import ca.uhn.fhir.rest.server.interceptor.auth.IAuthRuleBuilder;
import ca.uhn.fhir.rest.server.interceptor.auth.IAuthRuleBuilderRuleOp;
import ca.uhn.fhir.rest.server.interceptor.auth.IAuthRuleBuilderRuleOpClassifierFinished;
import ca.uhn.fhir.rest.server.interceptor.auth.PolicyEnum;
import ca.uhn.fhir.rest.server.interceptor.auth.RuleBuilder;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.StructureDefinition;
import org.hl7.fhir.r4.model.SearchParameter;
import org.hl7.fhir.r4.model.ValueSet;
import org.newbornregistry.fhir.store.Custodian;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.List;
import java.util.Set;

/**
 * Turns the SMART v2 scopes of the request's token into HAPI authorisation rules, per request:
 * {@code system/<Type>.<cruds>} (or {@code system/*.<cruds>}) allows that interaction on that type,
 * {@code nbr/reidentify} the Patient $reidentify operation; everything else is denied (403,
 * audited by the audit interceptor). The token was validated by Spring Security before HAPI saw
 * the request; this class only reads its scopes.
 *
 * <p>Simplifications, as HAPI's rule builder has them: {@code u} is HAPI's "write" (which also
 * permits create), {@code r} and {@code s} both give "read" (read and search); any write scope
 * permits a transaction, whose entries are then checked one by one.
 */
public class ScopeAuthorizationInterceptor extends AuthorizationInterceptor {

    /** A FHIR id, optionally with its type: what HAPI's rules can target. */
    private static final Pattern PLAIN_ID = Pattern.compile("^([A-Z][A-Za-z]+/)?[A-Za-z0-9\\-.]{1,64}$");

    private final FhirContext fhirContext;

    public ScopeAuthorizationInterceptor(FhirContext fhirContext) {
        super(PolicyEnum.DENY);
        this.fhirContext = fhirContext;
    }

    /**
     * Checks the request against the rules, with two exceptions where HAPI's rule engine would
     * answer differently from the registry: a "transaction" whose Bundle is neither a transaction
     * nor a batch (the transaction provider refuses it with 400 and writes nothing; the rules would
     * say 422), and a search whose {@code _id} is not a plain id, e.g. {@code system|value} (the
     * rules would fail with a NullPointerException, HAPI 8.8; the registry finds nothing). Such a
     * search is checked by its type alone: no rule here names instances, and every resource
     * returned is checked again on the way out.
     */
    @Override
    @Hook(Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED)
    public void incomingRequestPreHandled(RequestDetails request, Pointcut pointcut) {
        if (request.getRestOperationType() == RestOperationTypeEnum.TRANSACTION && request.getResource() instanceof Bundle bundle
                && bundle.getType() != Bundle.BundleType.TRANSACTION && bundle.getType() != Bundle.BundleType.BATCH) {
            return;
        }
        Map<String, String[]> parameters = request.getParameters();
        if (request.getRestOperationType() == RestOperationTypeEnum.SEARCH_TYPE && parameters.containsKey("_id")
                && !Arrays.stream(parameters.get("_id")).flatMap(v -> Arrays.stream(v.split(","))).allMatch(PLAIN_ID.asPredicate())) {
            Map<String, String[]> withoutId = new HashMap<>(parameters);
            withoutId.remove("_id");
            request.setParameters(withoutId);
            try {
                super.incomingRequestPreHandled(request, pointcut);
            } finally {
                request.setParameters(parameters);
            }
            return;
        }
        super.incomingRequestPreHandled(request, pointcut);
    }

    @Override
    public List<IAuthRule> buildRuleList(RequestDetails request) {
        RuleBuilder rules = new RuleBuilder();
        rules.allow("capability statement").metadata().andThen()
                .allow("conformance resources").read().resourcesOfType(StructureDefinition.class).withAnyId().andThen()
                .allow("conformance resources").read().resourcesOfType(CodeSystem.class).withAnyId().andThen()
                .allow("conformance resources").read().resourcesOfType(ValueSet.class).withAnyId().andThen()
                .allow("conformance resources").read().resourcesOfType(SearchParameter.class).withAnyId();
        Set<String> scopes = TokenClaims.scopes();
        Optional<String> organisation = TokenClaims.organization();
        boolean writes = false;
        for (String scope : scopes) {
            if (!scope.startsWith("system/") || scope.indexOf('.') < 0) {
                continue;
            }
            String type = scope.substring("system/".length(), scope.indexOf('.'));
            String permissions = scope.substring(scope.indexOf('.') + 1);
            if (!type.equals("*") && !fhirContext.getResourceTypes().contains(type)) {
                continue;
            }
            Class<? extends IBaseResource> resource = type.equals("*") ? null : fhirContext.getResourceDefinition(type).getImplementingClass();
            if (permissions.contains("c")) {
                on(rules.allow(scope).create(), resource);
                conditional(rules, scope, resource, true);
                writes = true;
            }
            if (permissions.contains("r") || permissions.contains("s")) {
                IAuthRuleBuilderRuleOpClassifierFinished read = on(rules.allow(scope).read(), resource);
                if (organisation.isPresent() && Custodian.isHeld(type)) {
                    read.withTester(new CustodianRuleTester(organisation.get()));
                }
            }
            if (permissions.contains("u")) {
                on(rules.allow(scope).write(), resource);
                conditional(rules, scope, resource, false);
                writes = true;
            }
            if (permissions.contains("d")) {
                IAuthRuleBuilderRuleOp delete = rules.allow(scope).delete();
                if (resource == null) {
                    delete.allResources().withAnyId();
                } else {
                    delete.resourcesOfType(resource).withAnyId();
                }
            }
        }
        if (writes) {
            rules.allow("transaction of permitted entries").transaction().withAnyOperation().andApplyNormalRules();
        }
        if (scopes.contains(Role.REIDENTIFY_SCOPE)) {
            rules.allow(Role.REIDENTIFY_SCOPE).operation().named("$reidentify").onType(Patient.class).andAllowAllResponses();
        }
        return rules.denyAll("no scope of the token permits this").build();
    }

    private static IAuthRuleBuilderRuleOpClassifierFinished on(IAuthRuleBuilderRuleOp rule, Class<? extends IBaseResource> resource) {
        return resource == null ? rule.allResources().withAnyId() : rule.resourcesOfType(resource).withAnyId();
    }

    private static void conditional(IAuthRuleBuilder rules, String scope, Class<? extends IBaseResource> resource, boolean create) {
        var rule = create ? rules.allow(scope).createConditional() : rules.allow(scope).updateConditional();
        if (resource == null) {
            rule.allResources();
        } else {
            rule.resourcesOfType(resource);
        }
    }
}

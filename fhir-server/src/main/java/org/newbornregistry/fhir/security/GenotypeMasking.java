package org.newbornregistry.fhir.security;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.ResponseDetails;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DomainResource;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Resource;

import org.newbornregistry.adapter.index.StrGenotypes;
import java.util.Arrays;
import java.util.Map;

/**
 * Shows genotypes without their alleles to every token that lacks {@link Role#GENOTYPE_SCOPE} (an
 * auditor's): each STR Observation leaves the server with its loci but no values — every value
 * replaced by {@code dataAbsentReason = masked} and the resource labelled {@code REDACTED} — so an
 * auditor sees that, when and from what a profile was recorded, never the profile. Searching
 * Observations by value would reveal alleles one guess at a time, so such a token may not search by
 * any value parameter (403).
 *
 * <p>HAPI's ConsentInterceptor can replace resources on the way out too, but it refuses
 * {@code _total=accurate} and clears {@code Bundle.total} for every request it sees; masking is one
 * transformation of the response, so it is done here, on the response, for the requests that need it.
 */
@Interceptor
public final class GenotypeMasking {

    private static final Coding MASKED = new Coding("http://terminology.hl7.org/CodeSystem/data-absent-reason", "masked", "Masked");
    private static final Coding REDACTED = new Coding("http://terminology.hl7.org/CodeSystem/v3-ObservationValue", "REDACTED", "redacted");

    /** Refuses a search by value (403) to a token that sees genotypes masked. */
    @Hook(Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED)
    public void refuseSearchByValue(RequestDetails request) {
        if ("Observation".equals(request.getResourceName()) && searchesByValue(request.getParameters())
                && !TokenClaims.hasScope(Role.GENOTYPE_SCOPE)) {
            OperationOutcome refusal = new OperationOutcome();
            refusal.addIssue().setSeverity(OperationOutcome.IssueSeverity.ERROR).setCode(OperationOutcome.IssueType.FORBIDDEN)
                    .setDiagnostics("Searching Observations by value needs the " + Role.GENOTYPE_SCOPE
                            + " scope: genotype values are masked for this token.");
            throw new ForbiddenOperationException("Searching Observations by value needs the " + Role.GENOTYPE_SCOPE + " scope",
                    refusal);
        }
    }

    /** Masks every genotype of the response, whether it is the resource, a Bundle entry or contained. */
    @Hook(Pointcut.SERVER_OUTGOING_RESPONSE)
    public boolean mask(RequestDetails request, ResponseDetails response) {
        IBaseResource resource = response.getResponseResource();
        if (resource == null || TokenClaims.hasScope(Role.GENOTYPE_SCOPE)) {
            return true;
        }
        if (resource instanceof Bundle bundle) {
            bundle.getEntry().stream().filter(Bundle.BundleEntryComponent::hasResource)
                    .forEach(entry -> entry.setResource(masking(entry.getResource())));
        } else if (resource instanceof Resource single) {
            response.setResponseResource(masking(single));
        }
        return true;
    }

    private static Resource masking(Resource resource) {
        if (resource instanceof Observation observation && StrGenotypes.mayCarryAlleles(observation)) {
            return masked(observation);
        }
        if (resource instanceof DomainResource domain && domain.getContained().stream()
                .anyMatch(c -> c instanceof Observation o && StrGenotypes.mayCarryAlleles(o))) {
            DomainResource copy = domain.copy();
            copy.getContained().replaceAll(GenotypeMasking::masking);
            return copy;
        }
        return resource;
    }

    /** A copy of the genotype with every value (its own and its components') replaced by "masked". */
    static Observation masked(Observation observation) {
        Observation copy = observation.copy();
        if (copy.hasValue()) {
            copy.setValue(null).setDataAbsentReason(new CodeableConcept(MASKED.copy()));
        }
        copy.getComponent().forEach(component -> {
            component.setValue(null);
            component.setDataAbsentReason(new CodeableConcept(MASKED.copy()));
        });
        copy.getInterpretation().clear();
        copy.getNote().clear();
        copy.getMeta().addSecurity(REDACTED.copy());
        return copy;
    }

    private static boolean searchesByValue(Map<String, String[]> parameters) {
        return parameters.keySet().stream().anyMatch(name -> name.contains("value"))
                || Arrays.stream(parameters.getOrDefault("_sort", new String[0])).anyMatch(sort -> sort.contains("value"));
    }
}

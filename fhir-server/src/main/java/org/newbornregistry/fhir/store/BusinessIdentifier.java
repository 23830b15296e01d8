package org.newbornregistry.fhir.store;

import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Specimen;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * A business identifier that at most one resource of a type may hold: every
 * {@code identifier} of a resource, and a Specimen's {@code accessionIdentifier}, that has both a
 * system and a value. A value without a system names nothing unique (two hospitals both have an
 * MRN "1234"), so it is kept on the resource and searchable but not claimed. Identifiers marked
 * {@code use=old} are history, kept on the resource but not claimed, so that a merged record can
 * keep the identifiers it replaced. Identifiers marked {@code use=secondary} identify the
 * resource only in a wider context that others share (the filler number of an order on each of
 * the order's reports), so they are searchable but not claimed either.
 */
public record BusinessIdentifier(String system, String value) {

    /** The identifiers a resource claims. */
    public static Set<BusinessIdentifier> of(IBaseResource resource) {
        Set<BusinessIdentifier> result = new LinkedHashSet<>();
        if (resource instanceof Base base && base.getNamedProperty("identifier") != null) {
            for (Base value : base.getNamedProperty("identifier").getValues()) {
                add((Identifier) value, result);
            }
        }
        if (resource instanceof Specimen specimen && specimen.hasAccessionIdentifier()) {
            add(specimen.getAccessionIdentifier(), result);
        }
        return result;
    }

    private static void add(Identifier identifier, Set<BusinessIdentifier> result) {
        if (identifier.hasSystem() && identifier.hasValue() && identifier.getUse() != Identifier.IdentifierUse.OLD
                && identifier.getUse() != Identifier.IdentifierUse.SECONDARY) {
            result.add(new BusinessIdentifier(identifier.getSystem(), identifier.getValue()));
        }
    }
}

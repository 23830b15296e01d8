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

    /**
     * The systems of every identifier a resource carries but those of {@code use=old}, claimed or
     * not: whose records the resource speaks of (a hand-entered record naming a hospital's number
     * as secondary is about that hospital's patient).
     */
    public static Set<String> systems(IBaseResource resource) {
        Set<String> systems = new LinkedHashSet<>();
        if (resource instanceof Base base && base.getNamedProperty("identifier") != null) {
            for (Base value : base.getNamedProperty("identifier").getValues()) {
                Identifier identifier = (Identifier) value;
                if (identifier.hasSystem() && identifier.getUse() != Identifier.IdentifierUse.OLD) {
                    systems.add(identifier.getSystem());
                }
            }
        }
        if (resource instanceof Specimen specimen && specimen.getAccessionIdentifier().hasSystem()) {
            systems.add(specimen.getAccessionIdentifier().getSystem());
        }
        return systems;
    }

    private static void add(Identifier identifier, Set<BusinessIdentifier> result) {
        if (identifier.hasSystem() && identifier.hasValue() && identifier.getUse() != Identifier.IdentifierUse.OLD
                && identifier.getUse() != Identifier.IdentifierUse.SECONDARY) {
            result.add(new BusinessIdentifier(identifier.getSystem(), identifier.getValue()));
        }
    }
}

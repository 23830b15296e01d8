package org.newbornregistry.fhir.store;

import ca.uhn.fhir.context.BaseRuntimeChildDefinition;
import ca.uhn.fhir.context.BaseRuntimeElementCompositeDefinition;
import ca.uhn.fhir.context.FhirContext;
import org.hl7.fhir.instance.model.api.IBase;
import org.hl7.fhir.r4.model.BackboneElement;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CanonicalType;
import org.hl7.fhir.r4.model.DomainResource;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.PrimitiveType;
import org.hl7.fhir.r4.model.Resource;
import org.newbornregistry.adapter.error.NbrError;
import org.newbornregistry.conformance.NbrCanonical;
import org.newbornregistry.fhir.error.RegistryErrors;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * An update with HL7 v2 semantics (v2.9 chapter 2.5.3, "null values"), asked for by the
 * {@link NbrCanonical#PARTIAL_UPDATE} extension on a Bundle entry's request: what the new
 * resource carries replaces the stored element, what it does not carry is kept, and what the
 * sender cleared ({@link NbrCanonical#PARTIAL_UPDATE_CLEAR}) is removed. An element the mapping
 * only fills in because FHIR requires one ({@link NbrCanonical#PARTIAL_UPDATE_DEFAULT}, such as
 * the status of a visit whose discharge was not sent) is taken only where the record has none.
 *
 * <p>The unit replaced is an element: a repeating one as a whole (a message's PID-11 replaces
 * every address), a data type as a whole (a new code does not keep the old code's text). Backbone
 * elements and periods are merged part by part, because v2 fills their parts from separate fields
 * (PV1-44 the start, PV1-45 the end of a visit; SPM-17 the collection time, where a lab may have
 * added who collected). Extensions of the resource are replaced by url.
 *
 * <p>Two elements grow instead of being replaced, because the registry matches records by them:
 * {@code identifier} (an identifier the message no longer lists would otherwise stop matching the
 * next message that does, and make a second newborn) and {@code Patient.link} (a record absorbs
 * one merge after another).
 *
 * @param cleared   dotted element paths (without {@code [x]}) and {@code extension('url')}s to remove
 * @param defaulted dotted element paths taken only where the stored record has none
 */
record PartialUpdate(Set<String> cleared, Set<String> defaulted) {

    /** Elements not merged child by child: the store's own, and extensions, which merge by url. */
    private static final Set<String> NOT_BY_CHILD = Set.of("id", "meta", "extension", "modifierExtension");

    /** The partial update a Bundle entry's request asks for, or null for a whole replacement (FHIR's PUT). */
    static PartialUpdate of(Bundle.BundleEntryRequestComponent request, int entry) {
        if (!request.hasExtension(NbrCanonical.PARTIAL_UPDATE)) {
            return null;
        }
        if (request.getMethod() != Bundle.HTTPVerb.PUT) {
            throw RegistryErrors.exception(NbrError.INVALID_BUNDLE, "a partial update is a PUT",
                    "Bundle.entry[" + entry + "].request.method");
        }
        return new PartialUpdate(paths(request, NbrCanonical.PARTIAL_UPDATE_CLEAR, entry),
                paths(request, NbrCanonical.PARTIAL_UPDATE_DEFAULT, entry));
    }

    private static Set<String> paths(Bundle.BundleEntryRequestComponent request, String url, int entry) {
        Set<String> paths = new LinkedHashSet<>();
        for (Extension extension : request.getExtensionsByUrl(url)) {
            if (!(extension.getValue() instanceof PrimitiveType<?> path) || !path.hasValue()) {
                throw RegistryErrors.exception(NbrError.INVALID_BUNDLE, "the extension " + url + " needs an element path",
                        "Bundle.entry[" + entry + "].request.extension");
            }
            paths.add(path.getValueAsString());
        }
        return Set.copyOf(paths);
    }

    /** The stored resource with this update applied; neither argument is changed. */
    Resource applyTo(FhirContext fhir, Resource stored, Resource incoming) {
        Resource merged = stored.copy();
        merge(fhir.getResourceDefinition(incoming), merged, incoming, "");
        if (merged instanceof DomainResource target && incoming instanceof DomainResource source) {
            extensions(target.getExtension(), source.getExtension());
            extensions(target.getModifierExtension(), source.getModifierExtension());
        }
        for (CanonicalType profile : incoming.getMeta().getProfile()) {
            if (!merged.getMeta().hasProfile(profile.getValue())) {
                merged.getMeta().addProfile(profile.getValue());
            }
        }
        return merged;
    }

    private void merge(BaseRuntimeElementCompositeDefinition<?> definition, Base target, Base source, String prefix) {
        for (BaseRuntimeChildDefinition child : definition.getChildren()) {
            boolean choice = child.getElementName().endsWith("[x]");
            String name = child.getElementName().replace("[x]", "");
            String path = prefix + name;
            if (prefix.isEmpty() && NOT_BY_CHILD.contains(name)) {
                continue;
            }
            List<IBase> sent = child.getAccessor().getValues(source);
            List<IBase> kept = child.getAccessor().getValues(target);
            if (sent.isEmpty()) {
                if (cleared.contains(path)) {
                    child.getMutator().setValue(target, null);
                }
                continue;
            }
            if (!kept.isEmpty() && defaulted.contains(path)) {
                continue;
            }
            if (!choice && child.getMax() == 1 && kept.size() == 1 && mergesByPart(sent.get(0))
                    && kept.get(0).getClass() == sent.get(0).getClass()) {
                merge((BaseRuntimeElementCompositeDefinition<?>) child.getChildByName(child.getElementName()),
                        (Base) kept.get(0), (Base) sent.get(0), path + ".");
                continue;
            }
            List<IBase> values = new ArrayList<>(sent.size());
            for (IBase value : sent) {
                values.add(((Base) value).copy());
            }
            if (prefix.isEmpty() && name.equals("identifier")) {
                values = union(kept, values, PartialUpdate::sameIdentifier);
            } else if (prefix.isEmpty() && name.equals("link") && target instanceof Patient) {
                values = union(kept, values, (a, b) -> ((Base) a).equalsDeep((Base) b));
            }
            child.getMutator().setValue(target, null);
            for (IBase value : values) {
                child.getMutator().addValue(target, value);
            }
        }
    }

    private static boolean mergesByPart(IBase value) {
        return value instanceof BackboneElement || value instanceof Period;
    }

    /** Extensions by url: a url sent replaces the stored ones of that url, a cleared url removes them. */
    private void extensions(List<Extension> stored, List<Extension> sent) {
        Set<String> urls = new LinkedHashSet<>();
        sent.forEach(extension -> urls.add(extension.getUrl()));
        stored.removeIf(extension -> urls.contains(extension.getUrl())
                || cleared.contains("extension('" + extension.getUrl() + "')"));
        sent.forEach(extension -> stored.add(extension.copy()));
    }

    /** What was stored, each replaced by the sent value it matches, then what was sent that matched nothing. */
    private static List<IBase> union(List<IBase> stored, List<IBase> sent, Same same) {
        List<IBase> result = new ArrayList<>();
        List<IBase> unmatched = new ArrayList<>(sent);
        for (IBase kept : stored) {
            IBase replacement = unmatched.stream().filter(s -> same.test(kept, s)).findFirst().orElse(null);
            if (replacement != null) {
                unmatched.remove(replacement);
            }
            result.add(replacement != null ? replacement : ((Base) kept).copy());
        }
        result.addAll(unmatched);
        return result;
    }

    private static boolean sameIdentifier(IBase a, IBase b) {
        Identifier left = (Identifier) a;
        Identifier right = (Identifier) b;
        return Objects.equals(left.getSystem(), right.getSystem()) && Objects.equals(left.getValue(), right.getValue());
    }

    @FunctionalInterface
    private interface Same {
        boolean test(IBase stored, IBase sent);
    }
}

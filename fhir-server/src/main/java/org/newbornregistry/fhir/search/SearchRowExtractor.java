package org.newbornregistry.fhir.search;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.fhirpath.IFhirPath;
import ca.uhn.fhir.fhirpath.IFhirPathEvaluationContext;
import ca.uhn.fhir.util.StringUtil;
import org.hl7.fhir.instance.model.api.IBase;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.Address;
import org.hl7.fhir.r4.model.BaseDateTimeType;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.Enumeration;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.MarkdownType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.PrimitiveType;
import org.hl7.fhir.r4.model.CanonicalType;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Timing;
import org.hl7.fhir.r4.model.UriType;

import org.newbornregistry.adapter.error.NbrError;
import org.newbornregistry.fhir.error.RegistryErrors;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Set;

import static org.apache.commons.lang3.StringUtils.isNotBlank;

/**
 * Extracts the search index of a resource from what every search parameter the registry supports
 * for its type selects (its FHIRPath expression, or for the hot types a direct reader of the same
 * elements: {@link DirectPaths}), turning each element into rows of the parameter's kind. Elements of a kind that does not fit the parameter (a Quantity under a token
 * parameter, say) yield no row.
 */
public final class SearchRowExtractor {

    /** Longest normalised string kept in the index; searches compare on this prefix. */
    static final int MAX_NORMALIZED_LENGTH = 200;

    private final SearchParameterRegistry registry;
    private final IFhirPath fhirPath;

    public SearchRowExtractor(IFhirPath fhirPath, SearchParameterRegistry registry) {
        this.registry = registry;
        this.fhirPath = fhirPath;
    }

    /**
     * A FHIRPath engine whose {@code resolve()} answers with an empty resource of the referenced
     * type, which is all that {@code where(resolve() is Patient)} in the R4 expressions needs.
     */
    public static IFhirPath newFhirPath(FhirContext fhirContext) {
        IFhirPath fhirPath = fhirContext.newFhirPath();
        fhirPath.setEvaluationContext(new IFhirPathEvaluationContext() {
            @Override
            public IBase resolveReference(IIdType reference, IBase context) {
                String type = reference.getResourceType();
                if (type == null || !fhirContext.getResourceTypes().contains(type)) {
                    return null;
                }
                IBaseResource target = fhirContext.getResourceDefinition(type).newInstance();
                target.setId(reference);
                return target;
            }
        });
        return fhirPath;
    }

    /** The index of a resource of one of the registry's types. */
    public SearchRows extract(IBaseResource resource) {
        String resourceType = resource.fhirType();
        Set<SearchRows.Token> tokens = new LinkedHashSet<>();
        Set<SearchRows.Text> strings = new LinkedHashSet<>();
        Set<SearchRows.Dates> dates = new LinkedHashSet<>();
        Set<SearchRows.Ref> references = new LinkedHashSet<>();
        Set<SearchRows.Uri> uris = new LinkedHashSet<>();

        for (IndexedSearchParameter param : registry.parameters(resourceType)) {
            if (param.isResourceColumn()) {
                continue;
            }
            String name = param.name();
            for (IBase value : param.select(resource, fhirPath)) {
                switch (param.type()) {
                    case TOKEN -> addTokens(name, value, tokens);
                    case STRING -> addStrings(name, value, strings);
                    case DATE -> addDates(param, value, dates);
                    case REFERENCE -> addReference(name, value, references);
                    case URI -> addUri(name, value, uris);
                    default -> {
                        // The registry only admits the kinds above.
                    }
                }
            }
        }
        return new SearchRows(tokens, strings, dates, references, uris);
    }

    /** Normalises a string the way the index stores it: accents removed, upper case, truncated. */
    public static String normalize(String value) {
        String normalized = StringUtil.normalizeStringForSearchIndexing(value);
        return normalized.length() > MAX_NORMALIZED_LENGTH
                ? normalized.substring(0, MAX_NORMALIZED_LENGTH)
                : normalized;
    }

    private static void addTokens(String param, IBase value, Set<SearchRows.Token> out) {
        if (value instanceof Identifier identifier) {
            if (identifier.hasValue()) {
                out.add(new SearchRows.Token(param, emptyToNull(identifier.getSystem()), identifier.getValue()));
            }
        } else if (value instanceof CodeableConcept concept) {
            concept.getCoding().forEach(coding -> addCoding(param, coding, out));
        } else if (value instanceof Coding coding) {
            addCoding(param, coding, out);
        } else if (value instanceof ContactPoint contactPoint) {
            if (contactPoint.hasValue()) {
                out.add(new SearchRows.Token(param, null, contactPoint.getValue()));
            }
        } else if (value instanceof Enumeration<?> enumeration) {
            if (enumeration.hasValue()) {
                out.add(new SearchRows.Token(param, emptyToNull(enumeration.getSystem()), enumeration.getCode()));
            }
        } else if (value instanceof BooleanType bool) {
            if (bool.hasValue()) {
                out.add(new SearchRows.Token(param, null, bool.getValueAsString()));
            }
        } else if (value instanceof PrimitiveType<?> primitive && !(value instanceof BaseDateTimeType)) {
            if (isNotBlank(primitive.getValueAsString())) {
                out.add(new SearchRows.Token(param, null, primitive.getValueAsString()));
            }
        }
    }

    private static void addCoding(String param, Coding coding, Set<SearchRows.Token> out) {
        if (coding.hasCode()) {
            out.add(new SearchRows.Token(param, emptyToNull(coding.getSystem()), coding.getCode()));
        }
    }

    private static void addStrings(String param, IBase value, Set<SearchRows.Text> out) {
        if (value instanceof HumanName name) {
            addString(param, name.getFamily(), out);
            name.getGiven().forEach(given -> addString(param, given.getValue(), out));
            name.getPrefix().forEach(prefix -> addString(param, prefix.getValue(), out));
            name.getSuffix().forEach(suffix -> addString(param, suffix.getValue(), out));
            addString(param, name.getText(), out);
        } else if (value instanceof Address address) {
            address.getLine().forEach(line -> addString(param, line.getValue(), out));
            addString(param, address.getCity(), out);
            addString(param, address.getDistrict(), out);
            addString(param, address.getState(), out);
            addString(param, address.getPostalCode(), out);
            addString(param, address.getCountry(), out);
            addString(param, address.getText(), out);
        } else if (value instanceof StringType || value instanceof MarkdownType) {
            addString(param, ((PrimitiveType<?>) value).getValueAsString(), out);
        }
    }

    private static void addString(String param, String value, Set<SearchRows.Text> out) {
        if (isNotBlank(value)) {
            out.add(new SearchRows.Text(param, normalize(value), value));
        }
    }

    private static void addDates(IndexedSearchParameter param, IBase value, Set<SearchRows.Dates> out) {
        if (value instanceof BaseDateTimeType dateTime) {
            if (dateTime.hasValue()) {
                DateRange range = range(param, dateTime);
                out.add(new SearchRows.Dates(param.name(), range.low(), range.high()));
            }
        } else if (value instanceof Period period) {
            Instant low = period.hasStart() ? range(param, period.getStartElement()).low() : DateRange.MIN;
            Instant high = period.hasEnd() ? range(param, period.getEndElement()).high() : DateRange.MAX;
            if ((period.hasStart() || period.hasEnd()) && !low.isAfter(high)) {
                out.add(new SearchRows.Dates(param.name(), low, high));
            }
        } else if (value instanceof Timing timing) {
            timing.getEvent().forEach(event -> addDates(param, event, out));
        }
    }

    private static DateRange range(IndexedSearchParameter param, BaseDateTimeType value) {
        try {
            return DateRange.parse(value.getValueAsString());
        } catch (IllegalArgumentException e) {
            throw RegistryErrors.exception(NbrError.INVALID_RESOURCE,
                    "a date of search parameter '" + param.name() + "' cannot be read as a FHIR date",
                    param.definition().getPath());
        }
    }

    private static void addReference(String param, IBase value, Set<SearchRows.Ref> out) {
        // Why: R4 reference parameters also cover canonical elements (ServiceRequest?instantiates-canonical).
        if (value instanceof CanonicalType canonical && canonical.hasValue()) {
            out.add(new SearchRows.Ref(param, null, null, canonical.getValue()));
            return;
        }
        if (!(value instanceof Reference reference) || !reference.hasReference()) {
            return;
        }
        String text = reference.getReference();
        if (text.startsWith("#")) {
            return;
        }
        IIdType id = reference.getReferenceElement();
        if (id.isAbsolute() || text.startsWith("urn:")) {
            out.add(new SearchRows.Ref(param, null, null, text));
        } else if (id.hasResourceType() && id.hasIdPart()) {
            out.add(new SearchRows.Ref(param, id.getResourceType(), id.getIdPart(), null));
        }
    }

    private static void addUri(String param, IBase value, Set<SearchRows.Uri> out) {
        if (value instanceof UriType uri && uri.hasValue()) {
            out.add(new SearchRows.Uri(param, uri.getValue()));
        }
    }

    private static String emptyToNull(String value) {
        return isNotBlank(value) ? value : null;
    }
}

package org.newbornregistry.fhir.validation;

import ca.uhn.fhir.context.BaseRuntimeChildDefinition;
import ca.uhn.fhir.context.BaseRuntimeElementDefinition;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.util.IModelVisitor2;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import ca.uhn.fhir.validation.ValidationResult;
import org.hl7.fhir.instance.model.api.IBase;
import org.hl7.fhir.instance.model.api.IBaseExtension;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.OperationOutcome.OperationOutcomeIssueComponent;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.PrimitiveType;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.UriType;
import org.newbornregistry.adapter.error.NbrError;
import org.newbornregistry.conformance.NbrCanonical;
import org.newbornregistry.fhir.error.RegistryErrors;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The validation step of the write path for what arrives from outside over FHIR: creates,
 * updates (conditional ones too) and every entry of a transaction or batch Bundle are validated
 * against base R4, the profiles they declare and those {@link ProfileSelector} assigns, before
 * anything is stored. A resource with errors is refused with 422 {@code NBR-1007} and an
 * OperationOutcome with one issue per error, each with the FHIRPath of the element in
 * {@code expression} and the validator's message id in the {@code operationoutcome-message-id}
 * extension. Warnings and information do not refuse a resource and are not returned.
 *
 * <p>The validator's messages quote what it found ({@code Unknown code 'system#value'}), so every
 * value the resource carries (except booleans, values shorter than three characters and URIs of
 * public code systems and profiles) is replaced by {@code ***} in the diagnostics: the response
 * and the log never repeat data.
 *
 * <p>The HL7 v2 entrance does not come through here: what the adapter maps is proven conformant
 * by tests, and the validator is too slow to sit on every internal write.
 */
public class InboundValidator {

    /** Most issues one response carries; the diagnostics of the last say when more were found. */
    static final int MAX_ISSUES = 50;
    static final String MESSAGE_ID_EXTENSION = "http://hl7.org/fhir/StructureDefinition/operationoutcome-message-id";
    private static final int MIN_MASKED_LENGTH = 3;
    /** Longest validator message shown; a longer one quotes a long value. */
    static final int MAX_DIAGNOSTICS = 1000;
    /** Deepest nesting of elements a resource may have; the validator's JSON reader stops at 255 levels. */
    static final int MAX_DEPTH = 100;
    private static final String MASK = "***";
    private static final Pattern MISSING_ELEMENT = Pattern.compile("([A-Za-z][A-Za-z0-9]*(?:\\.[A-Za-z0-9\\[\\]]+)+): minimum required");
    /** URIs that name code systems, profiles and value sets everyone publishes, which say what is wrong without saying anything about anyone. */
    private static final List<String> PUBLIC_URI_PREFIXES = List.of("http://hl7.org/fhir", "http://terminology.hl7.org/",
            NbrCanonical.BASE + "/", "http://loinc.org", "http://snomed.info/", "http://unitsofmeasure.org", "urn:ietf:", "urn:iso:");
    /** URI schemes whose messages quote only what follows them ({@code UUIDs must be valid (value)}). */
    private static final Pattern URN_PREFIX = Pattern.compile("^urn:(uuid|oid):");

    private final FhirContext fhirContext;
    private final RegistryValidator validator;
    private final boolean enabled;

    /**
     * @param validator the shared validator
     * @param enabled   false to store what clients send without validating it ({@code nbr.fhir.validation.enabled})
     */
    public InboundValidator(FhirContext fhirContext, RegistryValidator validator, boolean enabled) {
        this.fhirContext = fhirContext;
        this.validator = validator;
        this.enabled = enabled;
    }

    /** Whether resources are validated at all. */
    public boolean enabled() {
        return enabled;
    }

    /** Refuses a resource that does not validate: 422 {@code NBR-1007}. */
    public void check(IBaseResource resource) {
        if (!enabled) {
            return;
        }
        List<OperationOutcomeIssueComponent> issues = issues((Resource) resource);
        if (!issues.isEmpty()) {
            throw exception(issues, "the resource does not conform to FHIR R4 and the registry's profiles");
        }
    }

    /**
     * Refuses a transaction Bundle any of whose entries' resources does not validate: one 422
     * naming each invalid entry ({@code Bundle.entry[n]}), with the issues of all of them.
     */
    public void checkEntries(Bundle bundle) {
        if (!enabled) {
            return;
        }
        OperationOutcome combined = new OperationOutcome();
        List<Integer> invalid = new ArrayList<>();
        for (int i = 0; i < bundle.getEntry().size(); i++) {
            Resource resource = bundle.getEntry().get(i).getResource();
            if (resource == null || combined.getIssue().size() >= MAX_ISSUES) {
                continue;
            }
            List<OperationOutcomeIssueComponent> issues = issues(resource);
            if (!issues.isEmpty()) {
                invalid.add(i);
                BaseServerResponseException atEntry = RegistryErrors.atBundleEntry(exception(issues, "invalid"), i);
                combined.getIssue().addAll(((OperationOutcome) atEntry.getOperationOutcome()).getIssue());
            }
        }
        if (invalid.isEmpty()) {
            return;
        }
        truncate(combined.getIssue());
        String message = "Bundle.entry[" + invalid.get(0) + "]: " + NbrError.PROFILE_VALIDATION_FAILED.code()
                + ": " + (invalid.size() == 1 ? "the entry's resource does not" : invalid.size() + " entries' resources do not")
                + " conform to FHIR R4 and the registry's profiles (entries " + invalid + ")";
        BaseServerResponseException exception =
                BaseServerResponseException.newInstance(NbrError.PROFILE_VALIDATION_FAILED.httpStatus(), message);
        exception.setOperationOutcome(combined);
        throw exception;
    }

    /** The issues of a resource's errors, values masked; empty when it is valid. */
    List<OperationOutcomeIssueComponent> issues(Resource resource) {
        refuseDeepNesting(resource);
        ValidationResult result;
        try {
            result = validator.validate(resource, ProfileSelector.undeclared(resource));
        } catch (RuntimeException e) {
            // Why: HAPI's validator has input-dependent defects (a fuzzed reference made its core-definition lookup throw
            // StringIndexOutOfBoundsException). What cannot be validated is refused as what does not validate: 422, not 500.
            return List.of(new OperationOutcomeIssueComponent()
                    .setSeverity(IssueSeverity.ERROR)
                    .setCode(IssueType.PROCESSING)
                    .setDetails(new CodeableConcept(new Coding(NbrCanonical.ERROR_CODE_SYSTEM,
                            NbrError.PROFILE_VALIDATION_FAILED.code(), null)))
                    .setDiagnostics("the validator could not check this resource (it failed with " + e.getClass().getSimpleName()
                            + "); check its references and coded values")
                    .addExpression(resource.fhirType()));
        }
        List<OperationOutcomeIssueComponent> issues = new ArrayList<>();
        List<String> values = null;
        for (SingleValidationMessage message : result.getMessages()) {
            if (message.getSeverity().ordinal() < ResultSeverityEnum.ERROR.ordinal()) {
                continue;
            }
            if (values == null) {
                values = values(resource);
            }
            OperationOutcomeIssueComponent issue = new OperationOutcomeIssueComponent()
                    .setSeverity(message.getSeverity() == ResultSeverityEnum.FATAL ? IssueSeverity.FATAL : IssueSeverity.ERROR)
                    .setCode(issueType(message.getMessageId()))
                    .setDetails(new CodeableConcept(new Coding(NbrCanonical.ERROR_CODE_SYSTEM,
                            NbrError.PROFILE_VALIDATION_FAILED.code(), null)))
                    .setDiagnostics(mask(message.getMessage(), values));
            if (message.getMessageId() != null) {
                issue.addExtension(MESSAGE_ID_EXTENSION, new StringType(message.getMessageId()));
            }
            issue.addExpression(expression(message, resource.fhirType()));
            issues.add(issue);
        }
        truncate(issues);
        return issues;
    }

    private static BaseServerResponseException exception(List<OperationOutcomeIssueComponent> issues, String what) {
        NbrError error = NbrError.PROFILE_VALIDATION_FAILED;
        BaseServerResponseException exception = BaseServerResponseException.newInstance(error.httpStatus(),
                error.code() + ": " + what + " (" + issues.size() + " error" + (issues.size() == 1 ? "" : "s") + ")");
        OperationOutcome outcome = new OperationOutcome();
        outcome.getIssue().addAll(issues);
        exception.setOperationOutcome(outcome);
        return exception;
    }

    private static void truncate(List<OperationOutcomeIssueComponent> issues) {
        if (issues.size() > MAX_ISSUES) {
            int more = issues.size() - MAX_ISSUES;
            issues.subList(MAX_ISSUES, issues.size()).clear();
            OperationOutcomeIssueComponent last = issues.get(MAX_ISSUES - 1);
            last.setDiagnostics(last.getDiagnostics() + " (and " + more + " more errors not listed)");
        }
    }

    /**
     * The FHIRPath of the element an error is about. The validator places a missing element's
     * error on its parent ({@code Patient.identifier[0]}) and names the element in the message
     * ({@code Patient.identifier.system: minimum required = 1}); the expression names the element
     * itself ({@code Patient.identifier[0].system}).
     */
    static String expression(SingleValidationMessage message, String resourceType) {
        String location = message.getLocationString();
        if (location == null || location.isBlank() || "null".equals(location)) {
            return resourceType;
        }
        if ("Validation_VAL_Profile_Minimum".equals(message.getMessageId()) && message.getMessage() != null) {
            Matcher missing = MISSING_ELEMENT.matcher(message.getMessage());
            if (missing.lookingAt()) {
                String path = missing.group(1);
                String element = path.substring(path.lastIndexOf('.') + 1).replace("[x]", "");
                return location + "." + element;
            }
        }
        return location;
    }

    /** The issue type a validator message id stands for. */
    static IssueType issueType(String messageId) {
        if (messageId == null) {
            return IssueType.INVALID;
        }
        if (messageId.contains("Profile_Minimum")) {
            return IssueType.REQUIRED;
        }
        if (messageId.startsWith("Terminology") || messageId.contains("Fixed_Code") || messageId.contains("Pattern")) {
            return IssueType.CODEINVALID;
        }
        if (messageId.contains("#")) {
            return IssueType.INVARIANT;
        }
        if (messageId.contains("Profile_Maximum") || messageId.contains("Structure")) {
            return IssueType.STRUCTURE;
        }
        return IssueType.INVALID;
    }

    /**
     * Refuses (400 {@code NBR-1003}) a resource whose elements nest deeper than
     * {@link #MAX_DEPTH}: the validator re-reads the resource as JSON with a nesting limit of its
     * own and would fail with an internal error, and no registry record nests half as deep.
     */
    private void refuseDeepNesting(Resource resource) {
        int[] deepest = {0};
        fhirContext.newTerser().visit(resource, new IModelVisitor2() {
            @Override
            public boolean acceptElement(IBase element, List<IBase> containingElementPath,
                                         List<BaseRuntimeChildDefinition> childDefinitionPath,
                                         List<BaseRuntimeElementDefinition<?>> elementDefinitionPath) {
                deepest[0] = Math.max(deepest[0], containingElementPath.size());
                return containingElementPath.size() <= MAX_DEPTH;
            }

            @Override
            public boolean acceptUndeclaredExtension(IBaseExtension<?, ?> extension, List<IBase> containingElementPath,
                                                     List<BaseRuntimeChildDefinition> childDefinitionPath,
                                                     List<BaseRuntimeElementDefinition<?>> elementDefinitionPath) {
                deepest[0] = Math.max(deepest[0], containingElementPath.size());
                return containingElementPath.size() <= MAX_DEPTH;
            }
        });
        if (deepest[0] > MAX_DEPTH) {
            throw RegistryErrors.exception(NbrError.INVALID_RESOURCE,
                    "the resource's elements nest more than " + MAX_DEPTH + " levels deep", resource.fhirType());
        }
    }

    /** Values of a resource that could be personal data, longest first. */
    private List<String> values(Resource resource) {
        Set<String> values = new LinkedHashSet<>();
        for (PrimitiveType<?> primitive : fhirContext.newTerser().getAllPopulatedChildElementsOfType(resource, PrimitiveType.class)) {
            String value = primitive.getValueAsString();
            if (primitive instanceof BooleanType
                    || primitive instanceof UriType && value != null && PUBLIC_URI_PREFIXES.stream().anyMatch(value::startsWith)) {
                continue;
            }
            if (value != null && value.strip().length() >= MIN_MASKED_LENGTH) {
                values.add(value);
                values.add(value.strip());
                String unprefixed = URN_PREFIX.matcher(value).replaceFirst("");
                if (unprefixed.length() >= MIN_MASKED_LENGTH) {
                    values.add(unprefixed);
                }
            }
        }
        return values.stream().sorted(Comparator.comparingInt(String::length).reversed()).toList();
    }

    /**
     * A validator message with every value of the resource replaced by {@code ***}: plain text
     * replacement, and only of values no longer than the message (a longer one cannot be in it),
     * so that the cost stays that of the short message whatever the resource carries. A message
     * longer than {@link #MAX_DIAGNOSTICS} is not shown: it quotes a long value, and the
     * expression says where.
     */
    static String mask(String message, List<String> values) {
        if (message == null) {
            return null;
        }
        if (message.length() > MAX_DIAGNOSTICS) {
            return "the value here is invalid (the validator's message quotes it, and is not shown)";
        }
        String masked = message;
        for (String value : values) {
            if (value.length() <= masked.length() && masked.contains(value)) {
                masked = masked.replace(value, MASK);
            }
        }
        return masked;
    }
}

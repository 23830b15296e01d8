package org.newbornregistry.fhir.validation;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.context.support.ValidationSupportContext;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ValidationOptions;
import ca.uhn.fhir.validation.ValidationResult;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.PrePopulatedValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.MetadataResource;
import org.hl7.fhir.r4.model.StructureDefinition;
import org.hl7.fhir.r5.utils.validation.constants.BestPracticeWarningLevel;
import org.newbornregistry.conformance.NbrCanonical;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The registry's one validator: HAPI's {@link FhirInstanceValidator} (the official validator
 * engine) over an offline support chain, built once and shared by every thread.
 *
 * <p>The chain, in the order it is asked: the registry's package (profiles with generated
 * snapshots, code systems, value sets) → the R4 core definitions → common code systems (UCUM,
 * languages, MIME types, countries) → in-memory terminology (expands and checks value sets
 * over the code systems above) → snapshot generation (for any profile still without one). The
 * chain caches what it resolves. Nothing in it opens a connection: a code system it does not
 * hold (LOINC, SNOMED CT) is not checked, and references are not resolved, so a resource is
 * validated on its own, with {@code urn:uuid:} and conditional references as they come; a
 * reference's type is checked from its URL ({@code Organization/1} where only a Patient may be
 * named is an error). A {@code meta.profile} the registry does not hold (US Core, say) is a
 * warning, as in the reference validator: the resource is still held to base R4 and the
 * registry's own rules.
 *
 * <p>The validator engine costs a few milliseconds per resource once warm and far more cold;
 * {@link #warmUp()} validates one instance of every profiled type so that the first client does
 * not pay for loading. It runs on what arrives from outside only (see {@link InboundValidator}).
 *
 * <p>Why this module ships a header-only {@code oidregistry.csv}: the validator core
 * (org.hl7.fhir.utilities 6.7.9, with HAPI 8.8.0) builds a new InstanceValidator for every
 * validation, and its constructor parses the 1.5 MB OID registry of that name from the classpath
 * each time, most of what validating a small resource costs. The registry only tells the validator
 * which {@code urn:oid:} URIs are well known, which decides nothing but hints; the empty one
 * found first on the classpath (this module's resources precede the core's jar) makes a warm
 * validation about five times faster. {@code OidRegistryOverrideTest} checks it is in effect;
 * remove it when the core caches the registry.
 */
public final class RegistryValidator {

    private final FhirContext fhirContext;
    private final ConformancePackage conformancePackage;
    private final FhirValidator validator;

    private RegistryValidator(FhirContext fhirContext, ConformancePackage conformancePackage, FhirValidator validator) {
        this.fhirContext = fhirContext;
        this.conformancePackage = conformancePackage;
        this.validator = validator;
    }

    /** Builds the chain over the registry's package, with snapshots generated for its profiles. */
    public static RegistryValidator create(FhirContext fhirContext) {
        return create(fhirContext, null);
    }

    /**
     * Builds the chain over the registry's package, with snapshots generated for its profiles or read from
     * {@code snapshotCache} where an earlier start kept them for this package and HAPI version.
     *
     * @param snapshotCache a directory for the snapshotted package, or null to generate at every start
     */
    public static RegistryValidator create(FhirContext fhirContext, Path snapshotCache) {
        IValidationSupport core = fhirContext.getValidationSupport();
        ConformancePackage authored = ConformancePackage.load(fhirContext);
        ConformancePackage snapshotted = ShippedSnapshots.find(fhirContext, authored)
                .orElseGet(() -> new SnapshotCache(snapshotCache).snapshotted(fhirContext, authored,
                        () -> withSnapshots(fhirContext, core, authored)));

        PrePopulatedValidationSupport registry = new PrePopulatedValidationSupport(fhirContext);
        snapshotted.resources().forEach(registry::addResource);
        ValidationSupportChain chain = new ValidationSupportChain(ValidationSupportChain.CacheConfiguration.defaultValues(),
                registry,
                core,
                new CommonCodeSystemsTerminologyService(fhirContext),
                new InMemoryTerminologyServerValidationSupport(fhirContext),
                new SnapshotGeneratingValidationSupport(fhirContext));

        FhirInstanceValidator instanceValidator = new FhirInstanceValidator(chain);
        instanceValidator.setBestPracticeWarningLevel(BestPracticeWarningLevel.Ignore);
        instanceValidator.setAnyExtensionsAllowed(true);
        instanceValidator.setAssumeValidRestReferences(true);
        // Why: as the reference validator does, a declared profile the registry does not hold is reported, not refused.
        instanceValidator.setErrorForUnknownProfiles(false);
        FhirValidator validator = new FhirValidator(fhirContext)
                .setValidateAgainstStandardSchema(false)
                .setValidateAgainstStandardSchematron(false);
        validator.registerValidatorModule(instanceValidator);
        return new RegistryValidator(fhirContext, snapshotted, validator);
    }

    /**
     * Validates a resource against base R4, the profiles its {@code meta.profile} declares, and
     * {@code profiles}.
     */
    public ValidationResult validate(IBaseResource resource, Collection<String> profiles) {
        ValidationOptions options = new ValidationOptions();
        profiles.forEach(options::addProfile);
        return validator.validateWithResult(resource, options);
    }

    /** Validates a resource as JSON or XML text, as the validator's own test cases are written. */
    ValidationResult validate(String resourceText, Collection<String> profiles) {
        ValidationOptions options = new ValidationOptions();
        profiles.forEach(options::addProfile);
        return validator.validateWithResult(resourceText, options);
    }

    /** The package with the snapshots of its profiles, as the server publishes it. */
    public ConformancePackage conformancePackage() {
        return conformancePackage;
    }

    /**
     * Loads everything validation needs (definitions, snapshots, compiled invariants, value set
     * expansions) by validating an empty instance of each profiled type against its profile.
     *
     * @return how many profiles were warmed
     */
    public int warmUp() {
        int warmed = 0;
        for (MetadataResource resource : conformancePackage.resources()) {
            if (resource instanceof StructureDefinition profile && profile.getKind() == StructureDefinition.StructureDefinitionKind.RESOURCE) {
                IBaseResource empty = fhirContext.getResourceDefinition(profile.getType()).newInstance();
                validate(empty, List.of(profile.getUrl()));
                warmed++;
            }
        }
        return warmed;
    }

    /**
     * The package with each profile's snapshot generated from its differential over the core
     * definitions. Fails (and so stops start-up) when a profile's snapshot cannot be built.
     */
    static ConformancePackage withSnapshots(FhirContext fhirContext, IValidationSupport core,
                                                    ConformancePackage authored) {
        PrePopulatedValidationSupport differentials = new PrePopulatedValidationSupport(fhirContext);
        authored.resources().forEach(r -> differentials.addResource(r.copy()));
        ValidationSupportChain bootstrap = new ValidationSupportChain(differentials, core,
                new SnapshotGeneratingValidationSupport(fhirContext));
        ValidationSupportContext context = new ValidationSupportContext(bootstrap);
        List<MetadataResource> result = new ArrayList<>();
        for (MetadataResource resource : authored.resources()) {
            if (resource instanceof StructureDefinition profile) {
                StructureDefinition copy = profile.copy();
                StructureDefinition generated = (StructureDefinition) bootstrap.generateSnapshot(
                        context, copy, copy.getUrl(), NbrCanonical.BASE, copy.getName());
                if (generated == null || !generated.hasSnapshot()
                        || generated.getSnapshot().getElement().size() <= profile.getDifferential().getElement().size()) {
                    throw new IllegalStateException("no snapshot could be generated for " + profile.getUrl());
                }
                result.add(generated);
            } else {
                result.add(resource.copy());
            }
        }
        return new ConformancePackage(authored.name(), authored.version(), result);
    }
}

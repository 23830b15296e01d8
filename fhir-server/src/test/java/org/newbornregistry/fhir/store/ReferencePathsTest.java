package org.newbornregistry.fhir.store;

import ca.uhn.fhir.context.BaseRuntimeChildDefinition;
import ca.uhn.fhir.context.BaseRuntimeElementDefinition;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.util.IModelVisitor2;
import org.hl7.fhir.instance.model.api.IBase;
import org.hl7.fhir.instance.model.api.IBaseReference;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StringType;
import org.junit.jupiter.api.Test;
import org.newbornregistry.fhir.CorpusResources;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The reference walk finds what HAPI's terser finds, path for path and element for element: on
 * resources others wrote (the corpus's FHIR Bundles, the registry's mapping of the corpus's HL7
 * messages) and on the shapes that are easy to get wrong (contained resources, references inside
 * extensions and inside a reference's identifier, empty references).
 */
class ReferencePathsTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();

    @Test
    void shouldFindWhatTheTerserFindsInTheCorpusFhirBundlesAndTheirEntries() {
        List<Resource> resources = new ArrayList<>();
        for (Bundle bundle : CorpusResources.fhirBundles(FHIR)) {
            resources.add(bundle);
            bundle.getEntry().stream().map(Bundle.BundleEntryComponent::getResource).filter(r -> r != null).forEach(resources::add);
        }

        assertThat(resources).hasSizeGreaterThan(10);
        assertSameAsTheTerser(resources);
    }

    @Test
    void shouldFindWhatTheTerserFindsInTheMappingOfTheCorpusHl7Messages() {
        List<Resource> resources = CorpusResources.mappedHl7();

        assertThat(resources).hasSizeGreaterThan(20);
        assertSameAsTheTerser(resources);
    }

    @Test
    void shouldFindReferencesInContainedResourcesExtensionsAndIdentifiersButNotEmptyOnes() {
        // given
        Practitioner midwife = new Practitioner();
        midwife.setId("mw");
        midwife.addIdentifier().setAssigner(new Reference("Organization/general"));
        Patient newborn = new Patient();
        newborn.addContained(midwife);
        newborn.addGeneralPractitioner(new Reference("#mw"));
        newborn.addGeneralPractitioner(new Reference());
        newborn.addGeneralPractitioner(new Reference().setDisplay("the family doctor"));
        newborn.getManagingOrganization().setIdentifier(new Identifier().setValue("x").setAssigner(new Reference("Organization/registry")));
        newborn.addExtension(new Extension("http://example.org/birth-place", new Reference("Location/ward-3")));
        newborn.getBirthDateElement().addExtension(new Extension("http://example.org/recorded-by", new Reference("Practitioner/p9")));
        Observation weight = new Observation();
        weight.setSubject(new Reference("Patient/n1"));
        Extension outer = new Extension("http://example.org/outer");
        outer.addExtension(new Extension("http://example.org/inner", new Reference("Device/scale")));
        weight.addModifierExtension(outer);
        weight.setValue(new StringType("3.1 kg"));

        // when
        List<String> paths = ReferencePaths.of(FHIR, newborn).stream().map(ReferencePaths.Found::path).toList();

        // then
        assertThat(paths).contains("Patient.contained.identifier.assigner", "Patient.generalPractitioner",
                "Patient.managingOrganization.identifier.assigner", "Patient.extension.value", "Patient.birthDate.extension.value");
        assertThat(ReferencePaths.of(FHIR, newborn).stream().filter(f -> f.path().equals("Patient.generalPractitioner")))
                .as("the empty reference is left out").hasSize(2);
        assertSameAsTheTerser(List.of(newborn, weight));
    }

    private static void assertSameAsTheTerser(List<? extends IBaseResource> resources) {
        for (IBaseResource resource : resources) {
            List<ReferencePaths.Found> fast = ReferencePaths.of(FHIR, resource);
            List<ReferencePaths.Found> terser = byTheTerser(resource);
            assertThat(fast).as(resource.fhirType()).hasSameSizeAs(terser);
            for (int i = 0; i < fast.size(); i++) {
                assertThat(fast.get(i).path()).as(resource.fhirType() + " reference " + i).isEqualTo(terser.get(i).path());
                assertThat(fast.get(i).reference()).as(resource.fhirType() + " reference " + i).isSameAs(terser.get(i).reference());
            }
        }
    }

    /** The walk as it was written with HAPI's terser: the behaviour to keep. */
    private static List<ReferencePaths.Found> byTheTerser(IBaseResource resource) {
        List<ReferencePaths.Found> found = new ArrayList<>();
        String root = resource.fhirType();
        FHIR.newTerser().visit(resource, new IModelVisitor2() {
            @Override
            public boolean acceptElement(IBase element, List<IBase> containingPath, List<BaseRuntimeChildDefinition> childPath,
                                         List<BaseRuntimeElementDefinition<?>> elementPath) {
                if (element instanceof IBaseReference reference) {
                    StringBuilder path = new StringBuilder(root);
                    childPath.forEach(child -> path.append('.').append(child.getElementName()));
                    found.add(new ReferencePaths.Found(path.toString(), reference));
                }
                return true;
            }
        });
        return found;
    }
}

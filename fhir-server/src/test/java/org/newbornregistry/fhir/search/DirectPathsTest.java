package org.newbornregistry.fhir.search;

import org.hl7.fhir.instance.model.api.IBase;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.RelatedPerson;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.Specimen;
import org.hl7.fhir.r4.model.StringType;
import org.junit.jupiter.api.Test;
import org.newbornregistry.fhir.CorpusResources;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every direct reader of the hot types selects what the parameter's FHIRPath expression selects,
 * element for element and in the same order: on resources that carry every element the readers
 * read (and the shapes they must leave out: a subject that is not a Patient, a value of another
 * type, an element with only an extension), on the registry's mapping of real HL7 messages and on
 * the corpus's FHIR Bundles.
 */
class DirectPathsTest {

    private static final Set<String> HOT = Set.of("Patient", "RelatedPerson", "Specimen", "Observation", "Consent");

    @Test
    void shouldGiveEveryServedParameterOfTheHotTypesADirectReader() {
        for (String type : HOT) {
            for (IndexedSearchParameter param : SearchTestSupport.REGISTRY.parameters(type)) {
                if (!param.isResourceColumn() && !param.name().startsWith("_")) {
                    assertThat(param.direct()).as(type + "?" + param.name() + " has a direct reader").isNotNull();
                }
            }
        }
    }

    @Test
    void shouldSelectWhatFhirPathSelectsOnResourcesCarryingEveryElementRead() {
        Set<String> exercised = compare(fullResources());

        assertThat(exercised).as("every reader selected something at least once")
                .containsExactlyInAnyOrderElementsOf(DirectPaths.keys());
    }

    @Test
    void shouldSelectWhatFhirPathSelectsOnTheMappingOfTheCorpusHl7Messages() {
        assertThat(compare(CorpusResources.mappedHl7())).hasSizeGreaterThan(20);
    }

    @Test
    void shouldSelectWhatFhirPathSelectsOnTheCorpusFhirBundles() {
        List<Resource> resources = new ArrayList<>();
        CorpusResources.fhirBundles(SearchTestSupport.FHIR).forEach(bundle -> bundle.getEntry().forEach(e -> resources.add(e.getResource())));

        assertThat(compare(resources)).isNotEmpty();
    }

    /** Compares every direct reader with FHIRPath on each hot resource; the readers that selected something. */
    private static Set<String> compare(List<? extends Resource> resources) {
        Set<String> exercised = new HashSet<>();
        for (Resource resource : resources) {
            if (resource == null || !HOT.contains(resource.fhirType())) {
                continue;
            }
            for (IndexedSearchParameter param : SearchTestSupport.REGISTRY.parameters(resource.fhirType())) {
                if (param.direct() == null) {
                    continue;
                }
                List<? extends IBase> direct = param.select(resource, SearchTestSupport.FHIR_PATH);
                List<IBase> byFhirPath = param.selectByFhirPath(resource, SearchTestSupport.FHIR_PATH);
                String what = resource.fhirType() + "?" + param.name();
                assertThat(direct).as(what).hasSameSizeAs(byFhirPath);
                for (int i = 0; i < direct.size(); i++) {
                    assertThat(((Base) direct.get(i)).equalsDeep((Base) byFhirPath.get(i))).as(what + " element " + i).isTrue();
                }
                if (!direct.isEmpty()) {
                    exercised.add(what);
                }
            }
        }
        return exercised;
    }

    private static List<Resource> fullResources() {
        CodeableConcept concept = new CodeableConcept(new Coding("http://loinc.org", "84413-4", "STR panel")).setText("STR");
        Patient newborn = new Patient();
        newborn.addIdentifier(new Identifier().setSystem("urn:oid:1.2.3").setValue("MRN1"));
        newborn.addName().setFamily("Doe").addGiven("Baby").addGiven("Girl");
        newborn.addName().addGiven("Jane");
        newborn.getBirthDateElement().setValueAsString("2024-05-01");
        newborn.setGender(AdministrativeGender.FEMALE);
        newborn.addLink().setOther(new Reference("Patient/older")).setType(Patient.LinkType.REPLACES);
        newborn.setManagingOrganization(new Reference("Organization/general"));
        newborn.addGeneralPractitioner(new Reference("Practitioner/gp"));
        newborn.setActive(true);
        newborn.addAddress().setPostalCode("55101").setCity("Saint Paul");
        newborn.addTelecom().setSystem(ContactPoint.ContactPointSystem.PHONE).setValue("555-0100");
        newborn.addTelecom().setSystem(ContactPoint.ContactPointSystem.EMAIL).setValue("a@example.org");

        Patient onlyExtensions = new Patient();
        onlyExtensions.getGenderElement().addExtension(new Extension("http://hl7.org/fhir/StructureDefinition/data-absent-reason",
                new StringType("unknown")));
        onlyExtensions.getBirthDateElement().addExtension(new Extension("http://example.org/time-of-birth", new StringType("09:30")));

        RelatedPerson mother = new RelatedPerson();
        mother.addIdentifier().setValue("M1");
        mother.setPatient(new Reference("Patient/n1"));
        mother.addRelationship(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/v3-RoleCode", "MTH", null)));
        mother.addName().setFamily("Doe");
        mother.getBirthDateElement().setValueAsString("1990-01-02");
        mother.setGender(AdministrativeGender.FEMALE);
        mother.addTelecom().setSystem(ContactPoint.ContactPointSystem.PHONE).setValue("555-0101");
        mother.setActive(true);

        Specimen spot = new Specimen();
        spot.addIdentifier().setValue("S1");
        spot.setAccessionIdentifier(new Identifier().setValue("ACC1"));
        spot.setSubject(new Reference("Patient/n1"));
        spot.setType(concept);
        spot.setStatus(Specimen.SpecimenStatus.AVAILABLE);
        spot.getCollection().setCollected(new DateTimeType("2024-05-02T10:00:00Z"));
        spot.addParent(new Reference("Specimen/s0"));
        spot.addContainer().addIdentifier().setValue("CARD-1");
        Specimen ofAGroup = new Specimen();
        ofAGroup.setSubject(new Reference("Group/twins"));
        ofAGroup.getCollection().setCollected(new Period().setStart(new java.util.Date()));

        Observation genotype = new Observation();
        genotype.addIdentifier().setValue("O1");
        genotype.setSubject(new Reference("Patient/n1"));
        genotype.setCode(concept);
        genotype.setEffective(new DateTimeType("2024-05-03T10:00:00Z"));
        genotype.setStatus(Observation.ObservationStatus.FINAL);
        genotype.setSpecimen(new Reference("Specimen/s1"));
        genotype.addCategory(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/observation-category", "laboratory", null)));
        genotype.addBasedOn(new Reference("ServiceRequest/o1"));
        genotype.setEncounter(new Reference("Encounter/e1"));
        genotype.addPerformer(new Reference("Organization/lab"));
        genotype.setMethod(new CodeableConcept().setText("PCR"));
        genotype.setValue(new CodeableConcept(new Coding("http://snomed.info/sct", "10828004", "Positive")).setText("positive"));
        genotype.addComponent().setCode(new CodeableConcept(new Coding("http://loinc.org", "13367-8", null)))
                .setValue(new CodeableConcept(new Coding("urn:str", "12,13", null)));
        genotype.addComponent().setCode(new CodeableConcept(new Coding("http://loinc.org", "13368-6", null)))
                .setValue(new StringType("9.3"));
        Observation text = new Observation();
        text.setSubject(new Reference("Group/g1"));
        text.setValue(new StringType("normal"));
        text.setEffective(new Period().setStart(new java.util.Date()));
        Observation dated = new Observation();
        dated.setValue(new DateTimeType("2024-05-04"));
        Observation period = new Observation();
        period.setValue(new Period().setStart(new java.util.Date()));

        Consent consent = new Consent();
        consent.addIdentifier().setValue("C1");
        consent.setPatient(new Reference("Patient/n1"));
        consent.setStatus(Consent.ConsentState.ACTIVE);
        consent.addCategory(new CodeableConcept(new Coding("http://loinc.org", "59284-0", null)));
        consent.setDateTimeElement(new DateTimeType("2024-05-01T12:00:00Z"));
        consent.addOrganization(new Reference("Organization/general"));
        consent.setScope(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/consentscope", "research", null)));
        consent.addPerformer(new Reference("RelatedPerson/m1"));
        consent.setSource(new Reference("DocumentReference/form"));
        var provision = consent.getProvision();
        provision.setPeriod(new Period().setStart(new java.util.Date()));
        provision.addPurpose(new Coding("urn:nbr:purpose", "national-index-submission", null));
        provision.addAction(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/consentaction", "disclose", null)));
        provision.addActor().setReference(new Reference("Organization/index"))
                .setRole(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/v3-ParticipationType", "IRCP", null)));
        provision.addData().setMeaning(Consent.ConsentDataMeaning.INSTANCE).setReference(new Reference("Observation/o1"));

        return List.of(newborn, onlyExtensions, mother, spot, ofAGroup, genotype, text, dated, period, consent);
    }
}

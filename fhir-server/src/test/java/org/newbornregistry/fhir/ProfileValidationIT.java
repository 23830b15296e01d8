package org.newbornregistry.fhir;

import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestResourceComponent;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.OperationOutcomeIssueComponent;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.PrimitiveType;
import org.hl7.fhir.r4.model.Specimen;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.StructureDefinition;
import org.hl7.fhir.r4.model.ValueSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.newbornregistry.conformance.NbrCanonical;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * What clients send over FHIR is validated against base R4 and the registry's profiles before it
 * is stored: invalid resources get 422 {@code NBR-1007} with the FHIRPath of each problem, and
 * nothing of them is stored. The package the registry validates against is readable and
 * searchable, and the CapabilityStatement names its profiles.
 */
@ExtendWith(OutputCaptureExtension.class)
class ProfileValidationIT extends RegistryIntegrationSupport {

    @Test
    void shouldCreateValidStrGenotypeOnItsBloodSpot() {
        // given
        String system = uniqueSystem();
        String spot = client.create().resource(Fixtures.bloodSpot(system, "CARD-1")).execute().getId().toUnqualifiedVersionless().getValue();
        Observation genotype = Fixtures.genotype(system, "G-1", spot);

        // when
        MethodOutcome outcome = client.create().resource(genotype).execute();

        // then
        assertThat(outcome.getCreated()).isTrue();
        assertThat(countByIdentifierSystem(system)).isEqualTo(2);
    }

    @Test
    void shouldRefuseMalformedAlleleNamingTheComponentAndStoreNothing() {
        // given
        String system = uniqueSystem();
        Observation genotype = Fixtures.genotype(system, "G-2", bloodSpot(system));
        genotype.getComponent().get(1).setValue(new StringType("9.33"));

        // when
        UnprocessableEntityException error = assertThrows(UnprocessableEntityException.class,
                () -> client.create().resource(genotype).execute());

        // then
        assertThat(nbrCode(error)).isEqualTo("NBR-1007");
        assertThat(issues(error)).extracting(this::expression).containsExactly("Observation.component[1]");
        assertThat(issues(error).get(0).getCode()).isEqualTo(OperationOutcome.IssueType.INVARIANT);
        assertThat(issues(error).get(0).getDiagnostics()).contains("nbr-str-1").doesNotContain("9.33");
        assertThat(countByIdentifierSystem(system)).isEqualTo(1);
    }

    @Test
    void shouldRefuseUnknownLocusNamingItsCode() {
        // given
        String system = uniqueSystem();
        Observation genotype = Fixtures.genotype(system, "G-3", bloodSpot(system));
        genotype.getComponentFirstRep().getCode().getCodingFirstRep().setCode("D99S999");

        // when
        UnprocessableEntityException error = assertThrows(UnprocessableEntityException.class,
                () -> client.create().resource(genotype).execute());

        // then
        assertThat(nbrCode(error)).isEqualTo("NBR-1007");
        assertThat(issues(error)).extracting(this::expression).contains("Observation.component[0].code");
        assertThat(issues(error)).extracting(OperationOutcomeIssueComponent::getDiagnostics)
                .noneMatch(d -> d.contains("D99S999"));
        assertThat(countByIdentifierSystem(system)).isEqualTo(1);
    }

    @Test
    void shouldRefuseGenotypeWithoutSpecimenNamingTheMissingElement() {
        // given
        String system = uniqueSystem();
        Observation genotype = Fixtures.genotype(system, "G-4", null);

        // when
        UnprocessableEntityException error = assertThrows(UnprocessableEntityException.class,
                () -> client.create().resource(genotype).execute());

        // then
        assertThat(issues(error)).extracting(this::expression).containsExactly("Observation.specimen");
        assertThat(issues(error).get(0).getCode()).isEqualTo(OperationOutcome.IssueType.REQUIRED);
        assertThat(countByIdentifierSystem(system)).isZero();
    }

    @Test
    void shouldHoldDeclaredProfileOnUpdateAsOnCreate() {
        // given
        String system = uniqueSystem();
        Patient newborn = Fixtures.newborn(system, "N-1");
        newborn.getMeta().addProfile(NbrCanonical.NEWBORN_PATIENT);
        String id = client.create().resource(newborn).execute().getId().getIdPart();
        Patient withoutBirthDate = newborn.copy();
        withoutBirthDate.setId(id);
        withoutBirthDate.setBirthDate(null);

        // when
        UnprocessableEntityException error = assertThrows(UnprocessableEntityException.class,
                () -> client.update().resource(withoutBirthDate).execute());

        // then
        assertThat(issues(error)).extracting(this::expression).containsExactly("Patient.birthDate");
        assertThat(client.read().resource(Patient.class).withId(id).execute().hasBirthDate()).isTrue();
    }

    @Test
    void shouldRefuseTransactionWithAnInvalidEntryNamingTheEntryAndStoreNothing() {
        // given
        String system = uniqueSystem();
        Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        String spotUrn = "urn:uuid:" + java.util.UUID.randomUUID();
        transaction.addEntry().setFullUrl(spotUrn).setResource(Fixtures.bloodSpot(system, "CARD-5"))
                .getRequest().setMethod(HTTPVerb.POST).setUrl("Specimen");
        Observation genotype = Fixtures.genotype(system, "G-5", spotUrn);
        genotype.getComponentFirstRep().setValue(new StringType("X"));
        transaction.addEntry().setResource(genotype).getRequest().setMethod(HTTPVerb.POST).setUrl("Observation");

        // when
        UnprocessableEntityException error = assertThrows(UnprocessableEntityException.class,
                () -> client.transaction().withBundle(transaction).execute());

        // then
        assertThat(nbrCode(error)).isEqualTo("NBR-1007");
        assertThat(issues(error)).extracting(this::expression).containsExactly("Bundle.entry[1].resource.component[0]");
        assertThat(issues(error).get(0).getDiagnostics()).startsWith("Bundle.entry[1]: ").contains("nbr-str-2");
        assertThat(countByIdentifierSystem(system)).isZero();
    }

    @Test
    void shouldAnswerInvalidBatchEntryWith422AndStoreTheValidOnes() {
        // given
        String system = uniqueSystem();
        Bundle batch = new Bundle().setType(Bundle.BundleType.BATCH);
        batch.addEntry().setResource(Fixtures.bloodSpot(system, "CARD-6")).getRequest().setMethod(HTTPVerb.POST).setUrl("Specimen");
        batch.addEntry().setResource(Fixtures.genotype(system, "G-6", null)).getRequest().setMethod(HTTPVerb.POST).setUrl("Observation");

        // when
        Bundle response = client.transaction().withBundle(batch).execute();

        // then
        assertThat(response.getEntry()).extracting(e -> e.getResponse().getStatus())
                .containsExactly("201 Created", "422 Unprocessable Entity");
        OperationOutcome outcome = (OperationOutcome) response.getEntry().get(1).getResponse().getOutcome();
        assertThat(outcome.getIssueFirstRep().getExpression()).extracting(PrimitiveType::getValue)
                .containsExactly("Bundle.entry[1].resource.specimen");
        assertThat(countByIdentifierSystem(system)).isEqualTo(1);
    }

    @Test
    void shouldHoldBloodSpotToItsProfileByTheRegistryRuleWhenItDeclaresNone() {
        // given: base R4 lets a Specimen go without identifier; a blood spot (SNOMED CT 440500007) needs its card's
        Specimen spot = Fixtures.bloodSpot(uniqueSystem(), "CARD-7");
        spot.setIdentifier(null);

        // when
        UnprocessableEntityException error = assertThrows(UnprocessableEntityException.class,
                () -> client.create().resource(spot).execute());

        // then
        assertThat(nbrCode(error)).isEqualTo("NBR-1007");
        assertThat(issues(error)).extracting(this::expression).containsExactly("Specimen.identifier");
    }

    @Test
    void shouldKeepSentValuesOutOfValidationErrorsAndLogs(CapturedOutput output) {
        // given
        String sentinel = "ZyxwSentinel4471";
        Patient newborn = new Patient();
        newborn.getMeta().addProfile(NbrCanonical.NEWBORN_PATIENT);
        newborn.addIdentifier().setSystem("urn:oid:1.2." + sentinel).setValue("MRN-" + sentinel);
        newborn.addName().setFamily(sentinel);
        Observation genotype = Fixtures.genotype(uniqueSystem(), "G-7", "Specimen/none");
        genotype.getComponentFirstRep().getCode().getCodingFirstRep().setCode("LOCUS" + sentinel);
        genotype.getComponentFirstRep().setValue(new StringType("ALLELE" + sentinel));

        // when
        UnprocessableEntityException patientError = assertThrows(UnprocessableEntityException.class,
                () -> client.create().resource(newborn).execute());
        UnprocessableEntityException genotypeError = assertThrows(UnprocessableEntityException.class,
                () -> client.create().resource(genotype).execute());

        // then
        assertThat(issues(patientError)).extracting(this::expression).contains("Patient.identifier[0].system", "Patient.birthDate");
        assertThat(issues(genotypeError)).hasSizeGreaterThanOrEqualTo(2);
        for (UnprocessableEntityException error : List.of(patientError, genotypeError)) {
            assertThat(FHIR.newJsonParser().encodeResourceToString(error.getOperationOutcome())).doesNotContain(sentinel);
            assertThat(error.getMessage()).doesNotContain(sentinel);
        }
        assertThat(output.getAll()).doesNotContain(sentinel);
    }

    @Test
    void shouldRefuseReportStreamBundleWhoseResourcesBreakR4NamingTheirEntriesAndStoreNothing() {
        // given: CDC ReportStream's FHIR for one Minnesota newborn-screening ORU, loaded as CorpusIT loads it
        Bundle transaction = CorpusIT.registryTransaction(CorpusIT.reportStreamBundle(), true);

        // when
        long started = System.nanoTime();
        UnprocessableEntityException error = assertThrows(UnprocessableEntityException.class,
                () -> client.transaction().withBundle(transaction).execute());
        long millis = (System.nanoTime() - started) / 1_000_000;

        // then
        System.out.printf("ReportStream NBS bundle: %d entries validated and refused in %d ms%n",
                transaction.getEntry().size(), millis);
        assertThat(nbrCode(error)).isEqualTo("NBR-1007");
        assertThat(issues(error)).isNotEmpty().hasSizeLessThanOrEqualTo(50)
                .allSatisfy(issue -> assertThat(expression(issue)).startsWith("Bundle.entry["));
        assertThat(jdbc.queryForObject("select count(*) from resource where res_id = any(?)", Integer.class,
                (Object) transaction.getEntry().stream().map(e -> e.getResource().getIdElement().getIdPart()).toArray(String[]::new)))
                .isZero();
    }

    @Test
    void shouldServeProfilesWithSnapshotsAndSearchThePackage() {
        // when
        StructureDefinition genotype = client.read().resource(StructureDefinition.class).withId("nbr-str-genotype").execute();
        Bundle byUrl = client.search().byUrl("StructureDefinition?url=" + NbrCanonical.MOTHER).returnBundle(Bundle.class).execute();
        Bundle byName = client.search().byUrl("StructureDefinition?name=NbrNew").returnBundle(Bundle.class).execute();
        Bundle byVersion = client.search().byUrl("CodeSystem?version=0.1.0").returnBundle(Bundle.class).execute();
        Bundle loci = client.search().byUrl("CodeSystem?url=" + NbrCanonical.STR_LOCUS_SYSTEM).returnBundle(Bundle.class).execute();
        ValueSet purposes = client.read().resource(ValueSet.class).withId("registry-purpose").execute();

        // then
        assertThat(genotype.getUrl()).isEqualTo(NbrCanonical.STR_GENOTYPE);
        assertThat(genotype.getSnapshot().getElement()).hasSizeGreaterThan(genotype.getDifferential().getElement().size());
        assertThat(byUrl.getEntry()).extracting(e -> ((StructureDefinition) e.getResource()).getType()).containsExactly("RelatedPerson");
        assertThat(byName.getEntry()).extracting(e -> ((StructureDefinition) e.getResource()).getUrl())
                .containsExactly(NbrCanonical.NEWBORN_PATIENT);
        assertThat(byVersion.getEntry()).hasSize(2);
        assertThat(((CodeSystem) loci.getEntryFirstRep().getResource()).getConcept()).hasSizeGreaterThanOrEqualTo(25);
        assertThat(purposes.getCompose().getIncludeFirstRep().getSystem()).isEqualTo(NbrCanonical.REGISTRY_PURPOSE_SYSTEM);
    }

    @Test
    void shouldNameTheProfilesInTheCapabilityStatement() {
        // when
        CapabilityStatement capabilities = client.capabilities().ofType(CapabilityStatement.class).execute();

        // then
        CapabilityStatementRestResourceComponent observation = resource(capabilities, "Observation");
        assertThat(observation.getProfile()).isEqualTo("http://hl7.org/fhir/StructureDefinition/Observation");
        assertThat(observation.getSupportedProfile()).extracting(PrimitiveType::getValue).containsExactly(NbrCanonical.STR_GENOTYPE);
        assertThat(resource(capabilities, "Patient").getSupportedProfile()).extracting(PrimitiveType::getValue)
                .containsExactly(NbrCanonical.NEWBORN_PATIENT);
        CapabilityStatementRestResourceComponent profiles = resource(capabilities, "StructureDefinition");
        assertThat(profiles.getInteraction()).extracting(i -> i.getCode().toCode()).containsExactlyInAnyOrder("read", "search-type");
        assertThat(profiles.getSearchParam()).extracting(p -> p.getName()).contains("url", "version", "name");
    }

    private static CapabilityStatementRestResourceComponent resource(CapabilityStatement capabilities, String type) {
        return capabilities.getRestFirstRep().getResource().stream().filter(r -> r.getType().equals(type)).findFirst().orElseThrow();
    }

    private String bloodSpot(String system) {
        return client.create().resource(Fixtures.bloodSpot(system, "CARD-" + java.util.UUID.randomUUID()))
                .execute().getId().toUnqualifiedVersionless().getValue();
    }

    private static List<OperationOutcomeIssueComponent> issues(UnprocessableEntityException error) {
        return ((OperationOutcome) error.getOperationOutcome()).getIssue();
    }

    private String expression(OperationOutcomeIssueComponent issue) {
        return issue.getExpression().isEmpty() ? null : issue.getExpression().get(0).getValue();
    }

    private Integer countByIdentifierSystem(String system) {
        return jdbc.queryForObject("select count(*) from business_identifier where system = ?", Integer.class, system);
    }
}

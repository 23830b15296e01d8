package org.newbornregistry.fhir.validation;

import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.RelatedPerson;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StringType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.newbornregistry.conformance.NbrCanonical;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The registry's profiles hold what their descriptions promise, through the shared validator. */
class RegistryValidatorTest {

    private static RegistryValidator validator;

    @BeforeAll
    static void build() {
        validator = SharedValidator.get();
    }

    @Test
    void shouldHoldDeclaredNewbornToIdentifierSystemBirthDateAndGender() {
        // given
        Patient newborn = new Patient();
        newborn.getMeta().addProfile(NbrCanonical.NEWBORN_PATIENT);
        newborn.addIdentifier().setValue("MRN-1");

        // when
        List<String> errors = errorLocations(newborn);

        // then
        assertThat(errors).containsExactlyInAnyOrder("Patient.identifier[0]: Patient.identifier.system",
                "Patient: Patient.birthDate", "Patient: Patient.gender");
    }

    @Test
    void shouldAcceptNewbornWithBirthTimeOnBirthDateAndTwinOrder() {
        // given
        Patient newborn = newborn();

        // when / then
        assertThat(errorLocations(newborn)).isEmpty();
    }

    @Test
    void shouldAcceptGenotypeWithMicrovariantsOffLadderTriAllelicAndSexMarkers() {
        // given
        Observation genotype = genotype("TH01", "9.3,10");
        addLocus(genotype, "TPOX", "8,9,11");
        addLocus(genotype, "FGA", ">30");
        addLocus(genotype, "D18S51", "<6,12");
        addLocus(genotype, "Penta_D", "12");
        addLocus(genotype, "Amelogenin", "X,Y");

        // when / then
        assertThat(errorLocations(genotype)).isEmpty();
    }

    @ParameterizedTest(name = "{0} {1} → {2}")
    @CsvSource(delimiter = ';', value = {
            "TH01; 9.33; nbr-str-1",
            "TH01; 9,10,11,12; nbr-str-1",
            "TH01; 9 10; nbr-str-1",
            "TH01; 123; nbr-str-1",
            "TH01; X; nbr-str-2",
            "Amelogenin; 12; nbr-str-2",
            "THO1; 9; str-locus"})
    void shouldRefuseGenotypeComponentBreakingAlleleSyntaxOrLocusList(String locus, String alleles, String expected) {
        // given
        Observation genotype = genotype(locus, alleles);

        // when
        List<SingleValidationMessage> errors = errors(genotype);

        // then
        assertThat(errors).isNotEmpty().allSatisfy(e -> assertThat(e.getLocationString()).startsWith("Observation.component[0]"));
        assertThat(errors).extracting(SingleValidationMessage::getMessage).anyMatch(m -> m.contains(expected));
    }

    @Test
    void shouldRefuseGenotypeWithoutSpecimenWithALocusTwiceOrWithNumericAlleles() {
        // given
        Observation noSpecimen = genotype("TH01", "9");
        noSpecimen.setSpecimen(null);
        Observation twice = genotype("TH01", "9");
        addLocus(twice, "TH01", "10");
        Observation numeric = genotype("TH01", "9");
        numeric.getComponentFirstRep().setValue(new Quantity(9.3));

        // when / then
        assertThat(errorLocations(noSpecimen)).containsExactly("Observation: Observation.specimen");
        assertThat(errors(twice)).extracting(SingleValidationMessage::getMessage).anyMatch(m -> m.contains("nbr-str-3"));
        assertThat(errors(numeric)).extracting(SingleValidationMessage::getLocationString)
                .anyMatch(l -> l.startsWith("Observation.component[0].value"));
    }

    @Test
    void shouldAcceptConsentWithOneDecisionPerRegistryPurpose() {
        // given
        Consent consent = consent();

        // when / then
        assertThat(errorLocations(consent)).isEmpty();
    }

    @Test
    void shouldRefuseConsentWithPurposeOutsideTheRegistryOrWithoutDecisionsOrByAnOrganization() {
        // given
        Consent foreignPurpose = consent();
        foreignPurpose.getProvision().getProvisionFirstRep().getPurposeFirstRep()
                .setSystem("http://terminology.hl7.org/CodeSystem/v3-ActReason").setCode("HRESCH");
        Consent noDecisions = consent();
        noDecisions.getProvision().setProvision(null);
        Consent byOrganization = consent();
        byOrganization.getPerformerFirstRep().setReference("Organization/hospital");

        // when / then
        assertThat(errors(foreignPurpose)).extracting(SingleValidationMessage::getLocationString)
                .anyMatch(l -> l.startsWith("Consent.provision.provision[0].purpose[0]"));
        assertThat(errorLocations(noDecisions)).contains("Consent.provision: Consent.provision.provision");
        assertThat(errors(byOrganization)).extracting(SingleValidationMessage::getLocationString)
                .anyMatch(l -> l.startsWith("Consent.performer[0]"));
    }

    @Test
    void shouldHoldDeclaredMotherToRelationshipMth() {
        // given
        RelatedPerson father = new RelatedPerson();
        father.getMeta().addProfile(NbrCanonical.MOTHER);
        father.getPatient().setReference("Patient/newborn-1");
        father.addRelationship().addCoding().setSystem("http://terminology.hl7.org/CodeSystem/v3-RoleCode").setCode("FTH");

        // when / then
        assertThat(errors(father)).isNotEmpty();
    }

    @Test
    void shouldAcceptBalpStyleAuditEventAndRefuseOneWithoutWho() {
        // given
        AuditEvent event = new AuditEvent();
        event.getMeta().addProfile(NbrCanonical.AUDIT_EVENT);
        event.getType().setSystem("http://terminology.hl7.org/CodeSystem/audit-event-type").setCode("rest");
        event.addSubtype().setSystem("http://hl7.org/fhir/restful-interaction").setCode("create");
        event.setAction(AuditEvent.AuditEventAction.C);
        event.setRecordedElement(new InstantType("2024-05-02T10:00:00Z"));
        event.setOutcome(AuditEvent.AuditEventOutcome._0);
        event.addAgent().setRequestor(true).getWho().setReference("Device/hospital-client");
        event.getSource().getObserver().setReference("Device/registry");
        event.addEntity().getWhat().setReference("Patient/newborn-1");
        AuditEvent anonymous = event.copy();
        anonymous.getAgentFirstRep().setWho(null);

        // when / then
        assertThat(errorLocations(event)).isEmpty();
        assertThat(errorLocations(anonymous)).containsExactly("AuditEvent.agent[0]: AuditEvent.agent.who");
    }

    @Test
    void shouldAssignRegistryProfilesByContentWhateverIsDeclared() {
        assertThat(ProfileSelector.select(genotype("TH01", "9"))).containsExactly(NbrCanonical.STR_GENOTYPE);
        assertThat(ProfileSelector.select(consent())).containsExactly(NbrCanonical.CONSENT);
        assertThat(ProfileSelector.select(new Observation())).isEmpty();
        assertThat(ProfileSelector.select(newborn())).isEmpty();
        assertThat(ProfileSelector.undeclared(consent())).isEmpty();
    }

    static Patient newborn() {
        Patient newborn = new Patient();
        newborn.getMeta().addProfile(NbrCanonical.NEWBORN_PATIENT);
        newborn.addIdentifier().setSystem("urn:oid:2.16.840.1.113883.19.5").setValue("MRN-1");
        newborn.setGender(org.hl7.fhir.r4.model.Enumerations.AdministrativeGender.FEMALE);
        newborn.getBirthDateElement().setValueAsString("2024-05-01");
        newborn.getBirthDateElement().addExtension("http://hl7.org/fhir/StructureDefinition/patient-birthTime",
                new DateTimeType("2024-05-01T08:32:00+02:00"));
        newborn.setMultipleBirth(new org.hl7.fhir.r4.model.IntegerType(2));
        return newborn;
    }

    static Observation genotype(String locus, String alleles) {
        Observation genotype = new Observation();
        genotype.setStatus(Observation.ObservationStatus.FINAL);
        genotype.getCode().addCoding().setSystem("http://loinc.org").setCode("84413-4");
        genotype.getSpecimen().setReference("Specimen/dbs-1");
        addLocus(genotype, locus, alleles);
        return genotype;
    }

    static void addLocus(Observation genotype, String locus, String alleles) {
        genotype.addComponent().setValue(new StringType(alleles)).getCode().addCoding()
                .setSystem(NbrCanonical.STR_LOCUS_SYSTEM).setCode(locus);
    }

    static Consent consent() {
        Consent consent = new Consent();
        consent.getMeta().addProfile(NbrCanonical.CONSENT);
        consent.setStatus(Consent.ConsentState.ACTIVE);
        consent.getScope().addCoding().setSystem("http://terminology.hl7.org/CodeSystem/consentscope").setCode("patient-privacy");
        consent.addCategory().addCoding().setSystem("http://loinc.org").setCode("59284-0");
        consent.getPatient().setReference("Patient/newborn-1");
        consent.setDateTimeElement(new DateTimeType("2024-05-02T10:00:00Z"));
        consent.addPerformer().setReference("RelatedPerson/mother-1");
        consent.addPolicy().setUri(NbrCanonical.BASE + "/policy/registry-consent");
        Consent.ProvisionComponent root = consent.getProvision().setType(Consent.ConsentProvisionType.PERMIT);
        root.getPeriod().setStartElement(new DateTimeType("2024-05-02"));
        root.addProvision().setType(Consent.ConsentProvisionType.PERMIT).addPurpose()
                .setSystem(NbrCanonical.REGISTRY_PURPOSE_SYSTEM).setCode("str-profiling");
        root.addProvision().setType(Consent.ConsentProvisionType.DENY).addPurpose()
                .setSystem(NbrCanonical.REGISTRY_PURPOSE_SYSTEM).setCode("national-index-submission");
        return consent;
    }

    private static List<SingleValidationMessage> errors(Resource resource) {
        return validator.validate(resource, ProfileSelector.undeclared(resource)).getMessages().stream()
                .filter(m -> m.getSeverity().ordinal() >= ResultSeverityEnum.ERROR.ordinal()).toList();
    }

    /** Errors as "location: element" for missing elements, "location: message id" otherwise. */
    private static List<String> errorLocations(Resource resource) {
        return errors(resource).stream().map(m -> m.getLocationString() + ": " + ("Validation_VAL_Profile_Minimum".equals(m.getMessageId())
                ? m.getMessage().substring(0, m.getMessage().indexOf(':')) : m.getMessageId() + " " + m.getMessage())).toList();
    }
}

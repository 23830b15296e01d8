package org.newbornregistry.fhir.search;

import org.hl7.fhir.instance.model.api.IBase;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.RelatedPerson;
import org.hl7.fhir.r4.model.Specimen;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Type;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * What the R4 FHIRPath expression of a search parameter selects, read from the fields of the
 * registry's hot types (Patient, RelatedPerson, Specimen, Observation, Consent: every birth, order
 * and result writes them) instead of evaluated by the FHIRPath engine on every write.
 *
 * <p>Each reader is written for one expression and used only where the parameter still has exactly
 * that expression (a registry SearchParameter of the same name, or another HAPI version's
 * definition, falls back to FHIRPath). {@code DirectPathsTest} holds every reader to the engine's
 * index rows, on the corpus and on resources that carry every element the readers read.
 */
final class DirectPaths {

    private static final Map<String, Reader> READERS = new HashMap<>();

    static {
        // Patient
        read("Patient", "identifier", "Patient.identifier", Patient.class, Patient::getIdentifier);
        read("Patient", "name", "Patient.name", Patient.class, Patient::getName);
        read("Patient", "family", "Patient.name.family", Patient.class,
                p -> each(p.getName(), n -> n.hasFamilyElement() ? one(n.getFamilyElement()) : List.of()));
        read("Patient", "given", "Patient.name.given", Patient.class, p -> each(p.getName(), n -> n.getGiven()));
        read("Patient", "birthdate", "Patient.birthDate", Patient.class, p -> p.hasBirthDateElement() ? one(p.getBirthDateElement()) : List.of());
        read("Patient", "gender", "Patient.gender", Patient.class, p -> p.hasGenderElement() ? one(p.getGenderElement()) : List.of());
        read("Patient", "link", "Patient.link.other", Patient.class, p -> each(p.getLink(), l -> l.hasOther() ? one(l.getOther()) : List.of()));
        read("Patient", "organization", "Patient.managingOrganization", Patient.class, p -> p.hasManagingOrganization() ? one(p.getManagingOrganization()) : List.of());
        read("Patient", "general-practitioner", "Patient.generalPractitioner", Patient.class, Patient::getGeneralPractitioner);
        read("Patient", "active", "Patient.active", Patient.class, p -> p.hasActiveElement() ? one(p.getActiveElement()) : List.of());
        read("Patient", "address-postalcode", "Patient.address.postalCode", Patient.class,
                p -> each(p.getAddress(), a -> a.hasPostalCodeElement() ? one(a.getPostalCodeElement()) : List.of()));
        read("Patient", "phone", "Patient.telecom.where(system='phone')", Patient.class, p -> phones(p.getTelecom()));
        read("Patient", "telecom", "Patient.telecom", Patient.class, Patient::getTelecom);

        // RelatedPerson
        read("RelatedPerson", "identifier", "RelatedPerson.identifier", RelatedPerson.class, RelatedPerson::getIdentifier);
        read("RelatedPerson", "patient", "RelatedPerson.patient", RelatedPerson.class, r -> r.hasPatient() ? one(r.getPatient()) : List.of());
        read("RelatedPerson", "relationship", "RelatedPerson.relationship", RelatedPerson.class, RelatedPerson::getRelationship);
        read("RelatedPerson", "name", "RelatedPerson.name", RelatedPerson.class, RelatedPerson::getName);
        read("RelatedPerson", "birthdate", "RelatedPerson.birthDate", RelatedPerson.class, r -> r.hasBirthDateElement() ? one(r.getBirthDateElement()) : List.of());
        read("RelatedPerson", "gender", "RelatedPerson.gender", RelatedPerson.class, r -> r.hasGenderElement() ? one(r.getGenderElement()) : List.of());
        read("RelatedPerson", "phone", "RelatedPerson.telecom.where(system='phone')", RelatedPerson.class,
                r -> phones(r.getTelecom()));
        read("RelatedPerson", "telecom", "RelatedPerson.telecom", RelatedPerson.class, RelatedPerson::getTelecom);
        read("RelatedPerson", "active", "RelatedPerson.active", RelatedPerson.class, r -> r.hasActiveElement() ? one(r.getActiveElement()) : List.of());

        // Specimen
        read("Specimen", "identifier", "Specimen.identifier", Specimen.class, Specimen::getIdentifier);
        read("Specimen", "accession", "Specimen.accessionIdentifier", Specimen.class, s -> s.hasAccessionIdentifier() ? one(s.getAccessionIdentifier()) : List.of());
        read("Specimen", "subject", "Specimen.subject", Specimen.class, s -> s.hasSubject() ? one(s.getSubject()) : List.of());
        read("Specimen", "patient", "Specimen.subject.where(resolve() is Patient)", Specimen.class,
                s -> s.hasSubject() ? patients(one(s.getSubject())) : List.of());
        read("Specimen", "type", "Specimen.type", Specimen.class, s -> s.hasType() ? one(s.getType()) : List.of());
        read("Specimen", "status", "Specimen.status", Specimen.class, s -> s.hasStatusElement() ? one(s.getStatusElement()) : List.of());
        read("Specimen", "collected", "Specimen.collection.collected", Specimen.class,
                s -> s.hasCollection() && s.getCollection().hasCollected() ? one(s.getCollection().getCollected()) : List.of());
        read("Specimen", "parent", "Specimen.parent", Specimen.class, Specimen::getParent);
        read("Specimen", "container-id", "Specimen.container.identifier", Specimen.class,
                s -> each(s.getContainer(), c -> c.getIdentifier()));

        // Observation
        read("Observation", "identifier", "Observation.identifier", Observation.class, Observation::getIdentifier);
        read("Observation", "subject", "Observation.subject", Observation.class, o -> o.hasSubject() ? one(o.getSubject()) : List.of());
        read("Observation", "patient", "Observation.subject.where(resolve() is Patient)", Observation.class,
                o -> o.hasSubject() ? patients(one(o.getSubject())) : List.of());
        read("Observation", "code", "Observation.code", Observation.class, o -> o.hasCode() ? one(o.getCode()) : List.of());
        read("Observation", "date", "Observation.effective", Observation.class, o -> o.hasEffective() ? one(o.getEffective()) : List.of());
        read("Observation", "status", "Observation.status", Observation.class, o -> o.hasStatusElement() ? one(o.getStatusElement()) : List.of());
        read("Observation", "specimen", "Observation.specimen", Observation.class, o -> o.hasSpecimen() ? one(o.getSpecimen()) : List.of());
        read("Observation", "category", "Observation.category", Observation.class, Observation::getCategory);
        read("Observation", "based-on", "Observation.basedOn", Observation.class, Observation::getBasedOn);
        read("Observation", "encounter", "Observation.encounter", Observation.class, o -> o.hasEncounter() ? one(o.getEncounter()) : List.of());
        read("Observation", "performer", "Observation.performer", Observation.class, Observation::getPerformer);
        read("Observation", "method", "Observation.method", Observation.class, o -> o.hasMethod() ? one(o.getMethod()) : List.of());
        read("Observation", "value-string", "(Observation.value as string)|(Observation.value as CodeableConcept).text",
                Observation.class, o -> valueStrings(o.getValue()));
        read("Observation", "value-concept", "(Observation.value as CodeableConcept)", Observation.class,
                o -> concept(o.getValue()));
        read("Observation", "value-date", "(Observation.value as dateTime)|(Observation.value as Period)", Observation.class,
                o -> o.getValue() instanceof DateTimeType || o.getValue() instanceof Period ? one(o.getValue()) : List.of());
        read("Observation", "component-code", "Observation.component.code", Observation.class,
                o -> each(o.getComponent(), c -> c.hasCode() ? one(c.getCode()) : List.of()));
        read("Observation", "component-value-concept", "(Observation.component.value as CodeableConcept)", Observation.class,
                o -> each(o.getComponent(), c -> concept(c.getValue())));
        read("Observation", "combo-code", "Observation.code|Observation.component.code", Observation.class,
                o -> both(o.hasCode() ? one(o.getCode()) : List.of(), each(o.getComponent(), c -> c.hasCode() ? one(c.getCode()) : List.of())));
        read("Observation", "combo-value-concept",
                "(Observation.value as CodeableConcept)|(Observation.component.value as CodeableConcept)", Observation.class,
                o -> both(concept(o.getValue()), each(o.getComponent(), c -> concept(c.getValue()))));

        // Consent
        read("Consent", "identifier", "Consent.identifier", Consent.class, Consent::getIdentifier);
        read("Consent", "patient", "Consent.patient", Consent.class, c -> c.hasPatient() ? one(c.getPatient()) : List.of());
        read("Consent", "status", "Consent.status", Consent.class, c -> c.hasStatusElement() ? one(c.getStatusElement()) : List.of());
        read("Consent", "category", "Consent.category", Consent.class, Consent::getCategory);
        read("Consent", "date", "Consent.dateTime", Consent.class, c -> c.hasDateTimeElement() ? one(c.getDateTimeElement()) : List.of());
        read("Consent", "period", "Consent.provision.period", Consent.class,
                c -> c.hasProvision() && c.getProvision().hasPeriod() ? one(c.getProvision().getPeriod()) : List.of());
        read("Consent", "organization", "Consent.organization", Consent.class, Consent::getOrganization);
        read("Consent", "purpose", "Consent.provision.purpose", Consent.class,
                c -> c.hasProvision() ? c.getProvision().getPurpose() : List.of());
        read("Consent", "scope", "Consent.scope", Consent.class, c -> c.hasScope() ? one(c.getScope()) : List.of());
        read("Consent", "action", "Consent.provision.action", Consent.class,
                c -> c.hasProvision() ? c.getProvision().getAction() : List.of());
        read("Consent", "actor", "Consent.provision.actor.reference", Consent.class,
                c -> c.hasProvision() ? each(c.getProvision().getActor(), a -> a.hasReference() ? one(a.getReference()) : List.of()) : List.of());
        read("Consent", "consentor", "Consent.performer", Consent.class, Consent::getPerformer);
        read("Consent", "source-reference", "Consent.source", Consent.class, c -> c.hasSource() ? one(c.getSource()) : List.of());
        read("Consent", "data", "Consent.provision.data.reference", Consent.class,
                c -> c.hasProvision() ? each(c.getProvision().getData(), d -> d.hasReference() ? one(d.getReference()) : List.of()) : List.of());
    }

    private DirectPaths() {
    }

    /** One parameter's reader, and the expression it was written for ({@link #normalised}). */
    private record Reader(String expression, Function<IBaseResource, List<? extends IBase>> read) {
    }

    private static <R extends IBaseResource> void read(String type, String name, String expression, Class<R> resourceType,
                                                       Function<R, List<? extends IBase>> read) {
        READERS.put(type + "?" + name, new Reader(normalised(List.of(expression)), resource -> read.apply(resourceType.cast(resource))));
    }

    /**
     * The reader of a parameter, if there is one for its type and name and the parameter's expression
     * for this type ({@code paths}, its branches joined by {@code |}) is the one it was written for.
     */
    static Optional<Function<IBaseResource, List<? extends IBase>>> of(String type, String name, List<String> paths) {
        Reader reader = READERS.get(type + "?" + name);
        if (reader == null || !reader.expression().equals(normalised(paths))) {
            return Optional.empty();
        }
        return Optional.of(reader.read());
    }

    /** The branches of an expression without spaces, joined by {@code |}: how HAPI's definitions differ in writing only. */
    static String normalised(List<String> paths) {
        return String.join("|", paths.stream().map(p -> p.replace(" ", "")).toList());
    }

    /** The readers' keys ({@code Type?name}), for the test that holds them to the engine. */
    static List<String> keys() {
        return List.copyOf(READERS.keySet());
    }

    private static List<IBase> one(IBase value) {
        return value == null || value.isEmpty() ? List.of() : List.of(value);
    }

    private static <T> List<IBase> each(List<T> items, Function<T, List<? extends IBase>> read) {
        List<IBase> values = new ArrayList<>();
        for (T item : items) {
            values.addAll(read.apply(item));
        }
        return values;
    }

    private static List<IBase> both(List<IBase> first, List<IBase> second) {
        List<IBase> values = new ArrayList<>(first);
        values.addAll(second);
        return values;
    }

    private static List<IBase> phones(List<ContactPoint> telecom) {
        return telecom.stream().filter(t -> t.getSystem() == ContactPoint.ContactPointSystem.PHONE).map(t -> (IBase) t).toList();
    }

    /** References whose target type is Patient: what {@code where(resolve() is Patient)} keeps with the registry's resolver. */
    private static List<IBase> patients(List<IBase> references) {
        return references.stream().filter(r -> "Patient".equals(((Reference) r).getReferenceElement().getResourceType())).toList();
    }

    private static List<IBase> concept(Type value) {
        return value instanceof CodeableConcept concept && !concept.isEmpty() ? List.of(concept) : List.of();
    }

    private static List<IBase> valueStrings(Type value) {
        if (value instanceof StringType string) {
            return one(string);
        }
        if (value instanceof CodeableConcept concept) {
            return concept.hasTextElement() ? one(concept.getTextElement()) : List.of();
        }
        return List.of();
    }
}

package org.newbornregistry.routes.conformance;

import org.newbornregistry.fhir.TestTokens;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestResourceComponent;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestResourceSearchParamComponent;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.Enumerations.FHIRVersion;
import org.hl7.fhir.r4.model.Enumerations.SearchParamType;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.StructureDefinition;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CapabilityStatement the rest of the suite is driven by: valid FHIR R4 in JSON and XML, for
 * R4 types only, every search parameter with a definition the suite can read, and every
 * {@code _include}/{@code _revinclude} naming a reference parameter the server declares.
 */
class CapabilityConformanceIT extends ConformanceTestSupport {

    @Test
    void shouldBeValidR4WhenServedAsJsonOrXml() throws Exception {
        // when
        CapabilityStatement json = client.capabilities().ofType(CapabilityStatement.class).execute();
        HttpResponse<String> xml = send(request("metadata").header("Accept", "application/fhir+xml").GET());

        // then
        assertThat(json.getFhirVersion()).isEqualTo(FHIRVersion._4_0_1);
        assertThat(json.getKind()).isEqualTo(CapabilityStatement.CapabilityStatementKind.INSTANCE);
        assertThat(json.getFormat()).extracting(CodeType::getValue).contains("application/fhir+json", "application/fhir+xml");
        assertThat(json.getRest()).anyMatch(r -> r.getMode() == CapabilityStatement.RestfulCapabilityMode.SERVER);
        assertThat(xml.statusCode()).isEqualTo(200);
        assertThat(xml.headers().firstValue("Content-Type")).get().asString().contains("xml");
    }

    @Test
    void shouldNameOnlyR4TypesWhenListingResources() {
        assertThat(declaredTypes()).extracting(CapabilityStatementRestResourceComponent::getType)
                .isSubsetOf(session.fhir.getResourceTypes());
    }

    @Test
    void shouldHaveADefinitionWhenASearchParameterIsDeclared() {
        // when
        List<String> undefined = new ArrayList<>();
        for (CapabilityStatementRestResourceComponent type : declaredTypes()) {
            for (CapabilityStatementRestResourceSearchParamComponent param : type.getSearchParam()) {
                DeclaredSearchParameter parameter = DeclaredSearchParameter.resolve(type.getType(), param,
                        session.validator.support(), session.fhir);
                if (!param.hasType() || parameter.expressions().isEmpty()) {
                    undefined.add(parameter.toString());
                }
            }
        }

        // then
        assertThat(undefined).as("declared search parameters without a type or an expression").isEmpty();
    }

    @Test
    void shouldNameADeclaredReferenceParameterWhenAnIncludeIsDeclared() {
        // when
        List<String> wrong = new ArrayList<>();
        for (CapabilityStatementRestResourceComponent type : declaredTypes()) {
            for (StringType include : type.getSearchInclude()) {
                String value = include.getValue();
                if (!value.equals("*") && !(value.startsWith(type.getType() + ":") && isReferenceParameter(value))) {
                    wrong.add(type.getType() + " _include=" + value);
                }
            }
            for (StringType revinclude : type.getSearchRevInclude()) {
                if (!isReferenceParameter(revinclude.getValue())) {
                    wrong.add(type.getType() + " _revinclude=" + revinclude.getValue());
                }
            }
        }

        // then
        assertThat(wrong).as("includes that name no declared reference parameter").isEmpty();
    }

    @Test
    void shouldServeEveryProfileWithItsSnapshotWhenTheCapabilityStatementNamesIt() throws Exception {
        // given
        List<String> named = new ArrayList<>();
        for (CapabilityStatementRestResourceComponent type : declaredTypes()) {
            if (type.hasProfile()) {
                named.add(type.getProfile());
            }
            type.getSupportedProfile().forEach(p -> named.add(p.getValue()));
        }

        // when
        List<String> unserved = new ArrayList<>();
        for (String url : named.stream().distinct().toList()) {
            // Why: not through the validated client: R4's own Consent and Patient definitions carry examples the
            // validator rejects (an urn:ietf:rfc:3986 identifier that is no URI), and snapshots copy them.
            HttpResponse<String> response = TestTokens.http().send(request("StructureDefinition?url="
                    + URLEncoder.encode(url, StandardCharsets.UTF_8)).GET().build(), HttpResponse.BodyHandlers.ofString());
            Bundle found = session.fhir.newJsonParser().parseResource(Bundle.class, response.body());
            boolean served = found.getEntry().size() == 1
                    && ((StructureDefinition) found.getEntryFirstRep().getResource()).hasSnapshot();
            // Why: base R4 profiles are the core specification's; only the server's own must be served.
            if (!served && !url.startsWith("http://hl7.org/fhir/StructureDefinition/")) {
                unserved.add(url);
            }
        }

        // then
        assertThat(named).as("profiles the CapabilityStatement names").isNotEmpty();
        assertThat(unserved).as("named profiles the server does not serve with a snapshot").isEmpty();
    }

    private static boolean isReferenceParameter(String include) {
        String[] parts = include.split(":");
        Optional<CapabilityStatementRestResourceComponent> type = declaredType(parts[0]);
        return parts.length >= 2 && type.isPresent() && type.get().getSearchParam().stream()
                .anyMatch(p -> p.getName().equals(parts[1]) && p.getType() == SearchParamType.REFERENCE);
    }
}

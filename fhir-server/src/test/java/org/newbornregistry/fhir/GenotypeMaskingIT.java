package org.newbornregistry.fhir;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Observation;
import org.junit.jupiter.api.Test;
import org.newbornregistry.fhir.security.Role;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Auditors read genotypes with every allele masked; the lab that wrote them reads them whole. */
class GenotypeMaskingIT extends RegistryIntegrationSupport {

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void shouldShowAnAuditorTheLociButNoAllele() throws Exception {
        // given
        String id = genotype();

        // when
        Observation seen = as(Role.AUDITOR).read().resource(Observation.class).withId(id).execute();
        String body = get("/fhir/Observation/" + id, Role.AUDITOR);

        // then
        assertThat(seen.getComponent()).hasSize(3).allSatisfy(component -> {
            assertThat(component.hasValue()).isFalse();
            assertThat(component.getDataAbsentReason().getCodingFirstRep().getCode()).isEqualTo("masked");
            assertThat(component.getCode().getCodingFirstRep().getCode()).isNotBlank();
        });
        assertThat(seen.getMeta().getSecurity()).anySatisfy(label -> assertThat(label.getCode()).isEqualTo("REDACTED"));
        assertThat(body).doesNotContain("9.3,10", "16,17", "X,Y");
    }

    @Test
    void shouldMaskEveryGenotypeASearchReturnsToAnAuditor() throws Exception {
        // given
        String id = genotype();

        // when
        String body = get("/fhir/Observation?_id=" + id, Role.AUDITOR);

        // then
        assertThat(body).contains("\"id\":\"" + id + "\"", "\"masked\"").doesNotContain("9.3,10", "16,17", "X,Y");
    }

    @Test
    void shouldRefuseAnAuditorsSearchByValueWhichWouldRevealAlleles() {
        // given
        genotype();

        // when / then
        assertThatThrownBy(() -> as(Role.AUDITOR).search().byUrl("Observation?value-string=16").returnBundle(Bundle.class).execute())
                .isInstanceOf(ForbiddenOperationException.class);
        assertThatThrownBy(() -> as(Role.AUDITOR).search().byUrl("Observation?code=http://loinc.org|84413-4&_sort=date,-value-string")
                .returnBundle(Bundle.class).execute())
                .as("an order by value is a search by value, one comparison at a time").isInstanceOf(ForbiddenOperationException.class);
    }

    @Test
    void shouldShowTheLabTheAlleles() {
        // given
        String id = genotype();

        // when
        Observation seen = as(Role.LAB).read().resource(Observation.class).withId(id).execute();

        // then
        assertThat(seen.getComponent()).extracting(c -> c.getValue().primitiveValue()).containsExactly("9.3,10", "16,17", "X,Y");
        assertThat(seen.getMeta().getSecurity()).isEmpty();
    }

    private String genotype() {
        String system = uniqueSystem();
        String spot = client.create().resource(Fixtures.bloodSpot(system, "CARD-1")).execute().getId().toUnqualifiedVersionless().getValue();
        return client.create().resource(Fixtures.genotype(system, "G1", spot)).execute().getId().getIdPart();
    }

    private IGenericClient as(Role role) {
        return TestTokens.authorised(FHIR.newRestfulGenericClient(baseUrl()), TestTokens.of(role));
    }

    private String get(String path, Role role) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Authorization", "Bearer " + TestTokens.of(role)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }
}

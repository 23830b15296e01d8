package org.newbornregistry.fhir;

import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Modelled on camel-mllp's LogPhiTest: drive the registry through its error paths with sentinel
 * personal data and check that neither the log nor any error message repeats it.
 */
@ExtendWith(OutputCaptureExtension.class)
class NoPersonalDataInLogsIT extends RegistryIntegrationSupport {

    private static final String FAMILY = "Zyxwvutsentinel";
    private static final String MRN = "MRN-SENTINEL-7731";
    private static final String BORN = "2019-02-30";

    @Test
    void shouldKeepSentinelDataOutOfLogsAndErrorMessages(CapturedOutput output) throws Exception {
        // given
        String system = uniqueSystem();
        Patient newborn = Fixtures.newborn(system, MRN);
        newborn.getNameFirstRep().setFamily(FAMILY);
        client.create().resource(newborn).execute();
        List<String> errorMessages = new ArrayList<>();
        HttpClient http = TestTokens.http();

        // when: a duplicate identifier, an invalid date, an unknown element, bad searches, a failing transaction
        errorMessages.add(assertThrows(BaseServerResponseException.class,
                () -> client.create().resource(newborn).execute()).getMessage());
        errorMessages.add(post(http, "/Patient", "{\"resourceType\":\"Patient\",\"birthDate\":\"" + BORN + "\","
                + "\"name\":[{\"family\":\"" + FAMILY + "\"}]}"));
        errorMessages.add(post(http, "/Patient", "{\"resourceType\":\"Patient\",\"nickname\":\"" + MRN + "\"}"));
        errorMessages.add(post(http, "/Patient", "{\"resourceType\":\"Patient\",\"gender\":\"" + FAMILY + "\"}"));
        errorMessages.add(assertThrows(BaseServerResponseException.class, () -> client.search()
                .byUrl("Patient?birthdate=" + FAMILY).returnBundle(Bundle.class).execute()).getMessage());
        errorMessages.add(assertThrows(BaseServerResponseException.class, () -> client.search()
                .byUrl("Patient?identifier=" + system + "|" + MRN + "&nickname=" + FAMILY).returnBundle(Bundle.class).execute())
                .getMessage());
        Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        transaction.addEntry().setResource(newborn.copy()).getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("Patient");
        errorMessages.add(assertThrows(BaseServerResponseException.class,
                () -> client.transaction().withBundle(transaction).execute()).getMessage());

        // then
        assertThat(errorMessages).hasSize(7).allSatisfy(message -> assertThat(message)
                .doesNotContain(FAMILY).doesNotContain(MRN).doesNotContain(BORN));
        assertThat(output.getAll()).contains("answered 409 NBR-3001", "answered 400 NBR-1001", "answered 400 NBR-2002")
                .doesNotContain(FAMILY).doesNotContain(MRN).doesNotContain(BORN);
    }

    private String post(HttpClient http, String path, String body) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(baseUrl() + path))
                        .header("Content-Type", "application/fhir+json")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(400);
        return response.body();
    }
}

package org.newbornregistry.fhir;

import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Consent;
import org.junit.jupiter.api.Test;
import org.newbornregistry.conformance.FhirExamples;
import org.springframework.core.io.ClassPathResource;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Migration V11 gives consents written before the {@code provision-purpose} search parameter existed
 * the index rows the store now writes itself: the same rows, for top-level and nested purposes.
 */
class ConsentPurposeBackfillIT extends RegistryIntegrationSupport {

    private static final String ROWS = """
            select r.res_id, t.system, t.code from idx_token t join resource r on r.pid = t.res_pid
            where t.res_type = 'Consent' and t.param = 'provision-purpose' and r.res_id = any (?)
            order by 1, 2, 3""";

    @Test
    void shouldWriteTheIndexRowsTheStoreWritesForConsentsStoredBeforeTheParameter() throws Exception {
        // given: the example consent (purposes in nested provisions), one with purposes at the top and three levels down
        // too, one withdrawn
        FhirExamples story = FhirExamples.story();
        client.transaction().withBundle(FHIR.newJsonParser().parseResource(Bundle.class, story.json("birth-transaction.json"))).execute();
        Consent nested = Fixtures.uniqueConsent(story);
        Consent topLevel = Fixtures.uniqueConsent(story);
        topLevel.getProvision().addPurpose(new Coding("urn:example:purpose", "top-level", null));
        topLevel.getProvision().getProvisionFirstRep().addProvision().setType(Consent.ConsentProvisionType.DENY)
                .addPurpose(new Coding("urn:example:purpose", "three-levels-down", null));
        Consent withdrawn = Fixtures.uniqueConsent(story).setStatus(Consent.ConsentState.INACTIVE);
        String[] ids = List.of(nested, topLevel, withdrawn).stream()
                .map(consent -> client.create().resource(consent).execute().getId().getIdPart()).toArray(String[]::new);
        List<Map<String, Object>> written = jdbc.queryForList(ROWS, (Object) ids);
        // Why all consents' rows: the migration writes every consent's, as it did on the day it ran.
        jdbc.update("delete from idx_token where res_type = 'Consent' and param = 'provision-purpose'");

        // when
        jdbc.execute(new ClassPathResource("db/migration/V11__consent_provision_purpose_index.sql")
                .getContentAsString(StandardCharsets.UTF_8));

        // then
        assertThat(written).as("what the store wrote").hasSizeGreaterThanOrEqualTo(14)
                .anySatisfy(row -> assertThat(row.get("code")).isEqualTo("top-level"))
                .anySatisfy(row -> assertThat(row.get("code")).isEqualTo("three-levels-down"));
        assertThat(jdbc.queryForList(ROWS, (Object) ids)).isEqualTo(written);
    }
}

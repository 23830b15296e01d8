package org.newbornregistry.fhir.search;

import ca.uhn.fhir.rest.api.RestSearchParameterTypeEnum;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import org.junit.jupiter.api.Test;
import org.newbornregistry.fhir.search.SearchQuery.DatePrefix;
import org.newbornregistry.fhir.search.SearchQuery.DateValue;
import org.newbornregistry.fhir.search.SearchQuery.Include;
import org.newbornregistry.fhir.search.SearchQuery.ReferenceValue;
import org.newbornregistry.fhir.search.SearchQuery.TokenValue;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SearchQueryParserTest {

    private final SearchQueryParser parser = new SearchQueryParser(SearchTestSupport.REGISTRY);

    @Test
    void shouldParseTokenFormsAndEscapedCommas() {
        // when
        SearchQuery query = parse("Patient", "identifier", "urn:a|1,|2,3,urn:b|,urn:c|x\\,y");

        // then
        assertThat(query.criteria()).hasSize(1);
        assertThat(query.criteria().get(0).anyOf()).containsExactly(
                new TokenValue("urn:a", "1", false),
                new TokenValue(null, "2", true),
                new TokenValue(null, "3", false),
                new TokenValue("urn:b", null, false),
                new TokenValue("urn:c", "x,y", false));
    }

    @Test
    void shouldParseDatePrefixesAndReferenceForms() {
        // when
        SearchQuery dates = parse("Patient", "birthdate", "ge2024-05");
        SearchQuery references = parse("Observation", "specimen", "abc");
        SearchQuery typed = parse("Observation", "subject:Patient", "p1");

        // then
        assertThat(((DateValue) dates.criteria().get(0).anyOf().get(0)).prefix()).isEqualTo(DatePrefix.GE);
        assertThat(references.criteria().get(0).anyOf()).containsExactly(new ReferenceValue("Specimen", "abc", null));
        assertThat(typed.criteria().get(0).anyOf()).containsExactly(new ReferenceValue("Patient", "p1", null));
    }

    @Test
    void shouldParseIncludesWithIterate() {
        // given
        Map<String, String[]> params = new LinkedHashMap<>();
        params.put("_include", new String[] {"Observation:specimen"});
        params.put("_include:iterate", new String[] {"Specimen:subject:Patient"});

        // when
        SearchQuery query = parser.parse("Observation", params, null);

        // then
        assertThat(query.includes()).containsExactly(
                new Include("Observation", "specimen", null, false),
                new Include("Specimen", "subject", "Patient", true));
    }

    @Test
    void shouldRefuseWhatItCannotHonourRatherThanIgnoreIt() {
        assertThrows(InvalidRequestException.class, () -> parse("Patient", "nickname", "x"));
        assertThrows(InvalidRequestException.class, () -> parse("Patient", "general-practitioner.name", "x"));
        assertThrows(InvalidRequestException.class, () -> parse("Patient", "family:text", "x"));
        assertThrows(InvalidRequestException.class, () -> parse("Patient", "birthdate", "xx2024"));
        assertThrows(InvalidRequestException.class, () -> parse("Patient", "gender:missing", "maybe"));
        assertThrows(InvalidRequestException.class, () -> parse("Patient", "_sort", "general-practitioner"));
        assertThrows(InvalidRequestException.class, () -> parse("Patient", "_sort", "nickname"));
        assertThrows(InvalidRequestException.class, () -> parse("Patient", "_sort", "family,-family"));
        assertThrows(InvalidRequestException.class, () -> parse("Patient", "_sort", "family,"));
        assertThrows(InvalidRequestException.class, () -> parse("Patient", "_include", "Patient:gender"));
        assertThrows(InvalidRequestException.class, () -> parse("Patient", "phonetic", "x"));
    }

    @Test
    void shouldReadSeveralSortKeysOfDateStringTokenAndResourceColumnsEachWithItsDirection() {
        // when
        SearchQuery query = parse("Patient", "_sort", "-birthdate,family,gender,_id");

        // then
        assertThat(query.sort().keys()).containsExactly(
                new SearchQuery.SortKey("birthdate", RestSearchParameterTypeEnum.DATE, true),
                new SearchQuery.SortKey("family", RestSearchParameterTypeEnum.STRING, false),
                new SearchQuery.SortKey("gender", RestSearchParameterTypeEnum.TOKEN, false),
                new SearchQuery.SortKey("_id", null, false));
        assertThat(query.sort().descendingTies()).isFalse();
    }

    private SearchQuery parse(String type, String name, String value) {
        return parser.parse(type, Map.of(name, new String[] {value}), null);
    }
}

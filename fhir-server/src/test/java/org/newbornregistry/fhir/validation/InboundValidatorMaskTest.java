package org.newbornregistry.fhir.validation;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class InboundValidatorMaskTest {

    @Test
    void shouldMaskEveryValueTheMessageQuotesLongestFirst() {
        // when
        String masked = InboundValidator.mask("Unknown code 'urn:oid:1.2.3#DOE JANE' at DOE", List.of("urn:oid:1.2.3#DOE JANE", "DOE"));

        // then
        assertThat(masked).isEqualTo("Unknown code '***' at ***");
    }

    @Test
    void shouldNotLookForAValueLongerThanTheMessageAndNotShowAMessageThatQuotesALongValue() {
        // given: a 10 MB value, which a regular expression per value made hours of work
        String huge = "A".repeat(10_000_000);

        // when
        String untouched = InboundValidator.mask("The value is invalid", List.of(huge, "value"));
        String longMessage = InboundValidator.mask("The value '" + huge + "' is invalid", List.of(huge));

        // then
        assertThat(untouched).isEqualTo("The *** is invalid");
        assertThat(longMessage).doesNotContain("AAAA").contains("not shown");
    }
}

package org.newbornregistry.fhir.search;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DateRangeTest {

    @ParameterizedTest
    @CsvSource({
            "2024,                          2024-01-01T00:00:00Z,        2024-12-31T23:59:59.999999Z",
            "2024-02,                       2024-02-01T00:00:00Z,        2024-02-29T23:59:59.999999Z",
            "2024-05-01,                    2024-05-01T00:00:00Z,        2024-05-01T23:59:59.999999Z",
            "2024-05-01T10:15+02:00,        2024-05-01T08:15:00Z,        2024-05-01T08:15:59.999999Z",
            "2024-05-01T10:15:30Z,          2024-05-01T10:15:30Z,        2024-05-01T10:15:30.999999Z",
            "2024-05-01T10:15:30.25-05:00,  2024-05-01T15:15:30.250Z,    2024-05-01T15:15:30.250Z",
            "2024-05-01T10:15:30,           2024-05-01T10:15:30Z,        2024-05-01T10:15:30.999999Z"
    })
    void shouldCoverTheWholePeriodOfTheValuesPrecision(String value, String low, String high) {
        // when
        DateRange range = DateRange.parse(value);

        // then
        assertThat(range.low()).isEqualTo(Instant.parse(low));
        assertThat(range.high()).isEqualTo(Instant.parse(high));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2024-02-30", "2024-13", "24-05-01", "yesterday", "2024-05-01T25:00:00Z", "2024-05-01T10"})
    void shouldRefuseTextThatIsNotAFhirDateWithoutRepeatingIt(String value) {
        assertThatThrownBy(() -> DateRange.parse(value))
                .isInstanceOf(IllegalArgumentException.class)
                .message().doesNotContain(value);
    }
}

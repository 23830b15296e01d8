package org.newbornregistry.adapter.hl7;

import org.junit.jupiter.api.Test;
import org.newbornregistry.adapter.error.MappingException;
import org.newbornregistry.adapter.error.NbrError;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

class Hl7ParserTest {

    private final Hl7Parser parser = new Hl7Parser();

    @Test
    void shouldNameTheFieldAParseFailureIsAbout() {
        // when: a version HAPI does not know and the registry does not either
        MappingException error = assertThrows(MappingException.class,
                () -> parser.parse("MSH|^~\\&|A|B|C|D|20240101||ADT^A01|1|P|9.9\rPID|1\r"));

        // then
        assertThat(error.problem().error()).isEqualTo(NbrError.HL7_DAMAGED);
        assertThat(error.problem().location()).isEqualTo(Hl7Location.field("MSH", 12));
        assertThat(error.problem().message()).contains("unsupported version id");
    }

    @Test
    void shouldReadOnlyTheVersionOfMsh12AsOneHapiKnows() {
        // when
        String rewritten = Hl7Parser.withVersionHapiKnows("MSH|^~\\&|A|B|2.8.2|D|20240101||ADT^A01|1|P|2.8.2^USA\rPID|1||2.8.2\r");

        // then
        assertThat(rewritten).isEqualTo("MSH|^~\\&|A|B|2.8.2|D|20240101||ADT^A01|1|P|2.8.1^USA\rPID|1||2.8.2\r");
    }
}

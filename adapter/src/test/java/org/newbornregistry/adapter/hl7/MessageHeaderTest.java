package org.newbornregistry.adapter.hl7;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MessageHeaderTest {

    @Test
    void shouldNameTheSendingOrganisationByItsUniversalIdElseItsNamespace() {
        assertThat(header("GENERAL HOSPITAL^2.16.840.1.113883.19.5^ISO").sendingOrganisation()).isEqualTo("2.16.840.1.113883.19.5");
        assertThat(header("GENERAL HOSPITAL").sendingOrganisation()).isEqualTo("GENERAL HOSPITAL");
        assertThat(header("").sendingOrganisation()).isEqualTo("unknown-sender");
    }

    @Test
    void shouldMakeAHeaderValueSafeForOneLogLine() {
        // given: a control id forging a second log line, and one with a NUL
        String forged = "C1\nINFO fake line";
        String nul = "C2\u0000X";

        // then
        assertThat(MessageHeader.loggable(forged)).isEqualTo("C1?INFO fake line");
        assertThat(MessageHeader.loggable(nul)).isEqualTo("C2?X");
    }

    private static MessageHeader header(String sendingFacility) {
        return MessageHeader.read("MSH|^~\\&|NURSERY|" + sendingFacility + "|NBR|REGISTRY|20240501093000||ADT^A01^ADT_A01|C1|P|2.5.1\r");
    }
}

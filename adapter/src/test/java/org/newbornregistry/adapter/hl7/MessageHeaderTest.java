package org.newbornregistry.adapter.hl7;

import org.junit.jupiter.api.Test;
import org.newbornregistry.conformance.Samples;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

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

    @Test
    void shouldBlankOnlyTheSendTimeSoThatAResendStampedLaterMatchesTheFirstSending() {
        // given: the project's sample birth, sent again an hour later, and another message with the same time
        String first = new String(Samples.v2("adt-a01-newborn-twin-b.hl7"), StandardCharsets.ISO_8859_1);
        String sendTime = first.split("\\|", -1)[6];
        String resent = first.replaceFirst(Pattern.quote("|" + sendTime + "|"), "|20991231235959|");
        String other = first.replace("\rPID|", "\rPID|2");

        // then
        assertThat(resent).isNotEqualTo(first);
        assertThat(MessageHeader.withoutSendTime(resent)).isEqualTo(MessageHeader.withoutSendTime(first));
        assertThat(MessageHeader.withoutSendTime(first).split("\r")[0]).isEqualTo(first.split("\r")[0].replace(sendTime, ""));
        assertThat(MessageHeader.withoutSendTime(other)).isNotEqualTo(MessageHeader.withoutSendTime(first));
        assertThat(MessageHeader.withoutSendTime("MSH#^~\\&#A#B#C#D#20240501#")).isEqualTo("MSH#^~\\&#A#B#C#D##");
        assertThat(MessageHeader.withoutSendTime("PID|1")).isEqualTo("PID|1");
    }

    private static MessageHeader header(String sendingFacility) {
        return MessageHeader.read("MSH|^~\\&|NURSERY|" + sendingFacility + "|NBR|REGISTRY|20240501093000||ADT^A01^ADT_A01|C1|P|2.5.1\r");
    }
}

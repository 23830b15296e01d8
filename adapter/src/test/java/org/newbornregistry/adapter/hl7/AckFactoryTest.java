package org.newbornregistry.adapter.hl7;

import ca.uhn.hl7v2.AcknowledgmentCode;
import org.junit.jupiter.api.Test;
import org.newbornregistry.adapter.error.NbrError;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class AckFactoryTest {

    private final AckFactory factory = new AckFactory("NBR", "REGISTRY");

    @Test
    void shouldAddressAckBackToSenderEchoControlIdAndReportErrorsInErr() {
        // given
        MessageHeader inbound = MessageHeader.read("MSH|^~\\&|LAB|HOSP||NBRFAC|20240101||ORU^R01^ORU_R01|CTRL-1|P|2.5.1");
        Hl7Problem problem = new Hl7Problem(NbrError.HL7_DATA_TYPE_ERROR, new Hl7Location("OBX", 3, 5, 0), "is not a number");

        // when
        String[] segments = factory.ack(inbound, AcknowledgmentCode.AE, List.of(problem), Instant.parse("2024-05-01T10:00:00Z")).split("\r");

        // then
        assertThat(segments[0]).startsWith("MSH|^~\\&|NBR|NBRFAC|LAB|HOSP|20240501100000.000+0000||ACK^R01^ACK|").endsWith("|P|2.5.1");
        assertThat(segments[1]).isEqualTo("MSA|AE|CTRL-1");
        assertThat(segments[2]).isEqualTo("ERR||OBX^3^5|102^Data type error^HL70357|E|||NBR-5008|is not a number");
    }

    @Test
    void shouldUseErr1AndMsa3ForVersionsBefore25AndKeepWarningsOutOfErr() {
        // given
        MessageHeader inbound = MessageHeader.read("MSH|^~\\&|ADT|HOSP|||20240101||ADT^A01|C2|P|2.3");

        // when
        String ack = factory.ack(inbound, AcknowledgmentCode.AA,
                List.of(Hl7Problem.warning(Hl7Location.field("PID", 25), "birth order sent as a letter")), Instant.now());

        // then
        assertThat(ack.split("\r")).hasSize(2);
        assertThat(ack.split("\r")[1]).isEqualTo("MSA|AA|C2|accepted with 1 warning(s)");
        assertThat(ack.split("\r")[0]).contains("|ACK^A01|");
    }

    @Test
    void shouldKeepTheAckFieldsInPlaceWhenTheSenderUsesOtherSeparators() {
        // given: '#' separates fields and '@' components, so '|' is data in MSH-3 (found by V2IntakeFuzzTest)
        MessageHeader inbound = MessageHeader.read("MSH#@~\\&#LAB|1@OID#HOSP@2.16.840&x#NBR#NBRFAC#20240101##ORU@R01#C3#P#2.5.1");

        // when
        String msh = factory.ack(inbound, AcknowledgmentCode.AA, List.of(), Instant.parse("2024-05-01T10:00:00Z")).split("\r")[0];

        // then
        assertThat(msh.split("\\|", -1)).hasSize(12);
        assertThat(msh).startsWith("MSH|^~\\&|NBR|NBRFAC|LAB\\F\\1^OID|HOSP^2.16.840&x|20240501100000.000+0000||ACK^R01^ACK|");
    }

    @Test
    void shouldAnswerInTheCanonicalVersionWhenTheSendersVersionDoesNotExist() {
        // given: MSH-12 2.6.1, refused AR as unsupported (found by V2IntakeFuzzTest: the ACK said 2.6.1 and did not parse)
        MessageHeader inbound = MessageHeader.read("MSH|^~\\&|LAB|HOSP|||20240101||ORU^R01|C4|P|2.6.1");

        // when
        String ack = factory.ack(inbound, AcknowledgmentCode.AR,
                List.of(new Hl7Problem(NbrError.HL7_UNSUPPORTED_VERSION, Hl7Location.field("MSH", 12), "versions 2.3 to 2.8 are accepted")),
                Instant.now());

        // then
        assertThat(ack.split("\r")[0]).endsWith("|P|2.6");
        assertThat(new Hl7Parser().parse(ack).getName()).isEqualTo("ACK");
    }

    @Test
    void shouldStillAnswerAMessageWhoseHeaderCouldNotBeRead() {
        // when
        String ack = factory.ack(MessageHeader.UNKNOWN, AcknowledgmentCode.AR,
                List.of(new Hl7Problem(NbrError.HL7_UNREADABLE_HEADER, Hl7Location.segment("MSH", 1), "no MSH")), Instant.now());

        // then
        assertThat(ack).startsWith("MSH|^~\\&|NBR|REGISTRY|").contains("\rMSA|AR|\r", "|101^Required field missing^HL70357|E|");
    }
}

package org.newbornregistry.adapter.mapping;

import ca.uhn.hl7v2.model.Type;
import ca.uhn.hl7v2.model.v26.message.ADT_A01;
import ca.uhn.hl7v2.model.v26.segment.PID;
import org.junit.jupiter.api.Test;
import org.newbornregistry.adapter.hl7.Hl7Parser;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The explicit null {@code ""} told apart from an empty field and from a field that only begins
 * with {@code ""}, on fields as HAPI parses them: primitives, composites, nested composites and
 * repetitions (v2.9 chapter 2.5.3: {@code ""} alone removes the stored value).
 */
class V2ValuesTest {

    private static PID pid(String fields) throws Exception {
        String message = "MSH|^~\\&|EHR|HOSP|NBR|REG|20260101120000||ADT^A01^ADT_A01|1|P|2.6\r"
                + "EVN|A01|20260101120000\r"
                + "PID|" + fields + "\r";
        return ((ADT_A01) new Hl7Parser().parse(message)).getPID();
    }

    @Test
    void shouldReadAFieldSentAsExplicitNullAsOne() throws Exception {
        // PID-5 a name (XPN, its first component the composite FN), PID-7 a timestamp, PID-8 a coded primitive
        PID pid = pid("1||MRN1||\"\"||\"\"|\"\"");

        assertThat(V2Values.isExplicitNull(pid.getPatientName())).isTrue();
        assertThat(V2Values.isExplicitNull(pid.getPatientName(0))).isTrue();
        assertThat(V2Values.isExplicitNull(pid.getDateTimeOfBirth())).isTrue();
        assertThat(V2Values.isExplicitNull(pid.getAdministrativeSex())).isTrue();
        assertThat(V2Values.text(pid.getAdministrativeSex())).isNull();
    }

    @Test
    void shouldNotReadEmptyOrValuedFieldsAsExplicitNull() throws Exception {
        PID pid = pid("1||MRN1||Doe^Jane||20260101|F");

        assertThat(V2Values.isExplicitNull(pid.getPatientName())).isFalse();
        assertThat(V2Values.isExplicitNull(pid.getDateTimeOfBirth())).isFalse();
        assertThat(V2Values.isExplicitNull(pid.getAdministrativeSex())).isFalse();
        assertThat(V2Values.isExplicitNull(pid.getPatientAddress())).isFalse();
        assertThat(V2Values.isExplicitNull(pid.getMotherSMaidenName())).isFalse();
        assertThat(V2Values.text(pid.getAdministrativeSex())).isEqualTo("F");
    }

    @Test
    void shouldNotReadAFieldThatOnlyBeginsWithExplicitNullAsOne() throws Exception {
        // the family name removed but a given name sent; an address whose street is "" but whose city is not;
        // two repetitions of which the first is ""
        PID pid = pid("1||MRN1||\"\"^Jane||||||\"\"^^Springfield||\"\"~555-0100");

        assertThat(V2Values.isExplicitNull(pid.getPatientName())).isFalse();
        assertThat(V2Values.isExplicitNull(pid.getPatientAddress())).isFalse();
        assertThat(V2Values.isExplicitNull(pid.getPhoneNumberHome())).isFalse();
        assertThat(V2Values.isExplicitNull(pid.getPhoneNumberHome(0))).isTrue();
    }

    @Test
    void shouldReadTheFirstComponentTrimmedAndAbsentWhenBlank() throws Exception {
        PID pid = pid("1||MRN1|| Doe ^Jane||| ");

        assertThat(V2Values.text(pid.getPatientName(0))).isEqualTo("Doe");
        assertThat(V2Values.text(pid.getAdministrativeSex())).isNull();
        assertThat(V2Values.text(null)).isNull();
        assertThat(V2Values.isExplicitNull((Type) null)).isFalse();
    }
}

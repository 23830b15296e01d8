package org.newbornregistry.routes.mllp;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.newbornregistry.adapter.hl7.Hl7Location;
import org.newbornregistry.adapter.hl7.MessageHeader;
import org.newbornregistry.routes.config.MllpProperties;

import javax.security.auth.x500.X500Principal;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The binding table of client certificates to senders, without sockets or certificates. */
class MllpClientBindingsTest {

    private static final String NURSERY_PRINT = "AA:".repeat(31) + "01";
    private static final String LAB_PRINT = "BB:".repeat(31) + "02";
    private static final ClientCertificate NURSERY = new ClientCertificate(NURSERY_PRINT,
            new X500Principal("CN=nursery-interface,O=General Hospital"));
    private static final ClientCertificate LAB = new ClientCertificate(LAB_PRINT, new X500Principal("CN=county-lab,O=County Lab"));
    private static final ClientCertificate UNKNOWN = new ClientCertificate("CC:".repeat(31) + "03", new X500Principal("CN=someone"));

    private static final MllpClientBindings TABLE = MllpClientBindings.of(List.of(
            new MllpProperties.Client(NURSERY_PRINT.replace(":", "").toLowerCase(), null,
                    List.of("GENERAL HOSPITAL", "2.16.840.1.113883.19.5"), List.of("NURSERY", "LAB")),
            new MllpProperties.Client(null, "cn=County-Lab, o=county lab", List.of("COUNTY LAB", "2.16.840.1.113883.19.77"), List.of())));

    @ParameterizedTest(name = "{0} as MSH-3 {1}, MSH-4 {2}")
    @CsvSource(delimiter = ';', value = {
            "nursery; NURSERY; GENERAL HOSPITAL^2.16.840.1.113883.19.5^ISO",
            "nursery; LAB; GENERAL HOSPITAL",
            "nursery; NURSERY; ^2.16.840.1.113883.19.5^ISO",
            "lab; ANALYSER; COUNTY LAB",
            "lab; ANALYSER; COUNTY LAB^2.16.840.1.113883.19.77^ISO",
            "lab; ; COUNTY LAB"})
    void shouldAllowASenderBoundToTheCertificate(String who, String application, String facility) {
        // when
        Optional<MllpClientBindings.Refusal> refusal = TABLE.check(certificate(who), header(application, facility));

        // then
        assertThat(refusal).isEmpty();
    }

    @Test
    void shouldRefuseAtMsh4AFacilityTheCertificateIsNotBoundTo() {
        // when
        Optional<MllpClientBindings.Refusal> refusal = TABLE.check(LAB, header("NURSERY", "GENERAL HOSPITAL^2.16.840.1.113883.19.5^ISO"));

        // then
        assertThat(refusal).get().extracting(MllpClientBindings.Refusal::field).isEqualTo(Hl7Location.field("MSH", 4));
        assertThat(refusal.get().reason()).doesNotContain("GENERAL HOSPITAL");
    }

    @ParameterizedTest(name = "MSH-3 {0}")
    @CsvSource({"PHARMACY", "NURSERY^1.2.3^ISO"})
    void shouldRefuseAtMsh3AnApplicationTheCertificateIsNotBoundTo(String application) {
        // when
        Optional<MllpClientBindings.Refusal> refusal = TABLE.check(NURSERY, header(application, "GENERAL HOSPITAL"));

        // then
        assertThat(refusal).get().extracting(MllpClientBindings.Refusal::field).isEqualTo(Hl7Location.field("MSH", 3));
    }

    @Test
    void shouldRefuseAFacilityAllowedByNamespaceThatClaimsAnotherFacilitysUniversalId() {
        // when: the lab names itself, beside the hospital's OID (which scopes the hospital's local identifiers)
        Optional<MllpClientBindings.Refusal> refusal = TABLE.check(LAB, header("ANALYSER", "COUNTY LAB^2.16.840.1.113883.19.5^ISO"));

        // then
        assertThat(refusal).get().extracting(MllpClientBindings.Refusal::field).isEqualTo(Hl7Location.field("MSH", 4));
    }

    @ParameterizedTest(name = "MSH-4 {0}")
    @CsvSource(delimiter = ';', value = {"GENERAL HOSPITAL X", "general hospital", "ISO^GENERAL HOSPITAL",
            "GENERAL HOSPITAL^1.2.3^ISO", "^^GENERAL HOSPITAL", "''"})
    void shouldCompareFacilitiesExactlyAndEveryNameTheyCarry(String facility) {
        // when
        Optional<MllpClientBindings.Refusal> refusal = TABLE.check(NURSERY, header("NURSERY", facility));

        // then
        assertThat(refusal).isPresent();
    }

    @Test
    void shouldRefuseEveryMessageOfACertificateNoEntryNames() {
        // when
        Optional<MllpClientBindings.Refusal> refusal = TABLE.check(UNKNOWN, header("NURSERY", "GENERAL HOSPITAL"));

        // then
        assertThat(refusal).get().extracting(MllpClientBindings.Refusal::field).isNull();
    }

    @Test
    void shouldRequireBothFingerprintAndSubjectWhenAnEntryNamesBoth() {
        // given
        MllpClientBindings both = MllpClientBindings.of(List.of(new MllpProperties.Client(NURSERY_PRINT,
                "CN=nursery-interface,O=General Hospital", List.of(), List.of())));
        ClientCertificate sameSubjectOtherKey = new ClientCertificate(LAB_PRINT, NURSERY.subject());

        // when / then
        assertThat(both.check(NURSERY, header("ANY", "ANY"))).isEmpty();
        assertThat(both.check(sameSubjectOtherKey, header("ANY", "ANY"))).isPresent();
    }

    @Test
    void shouldAllowWhenAnyEntryOfTheCertificateAllowsFacilityAndApplicationTogether() {
        // given: one certificate, two entries
        MllpClientBindings table = MllpClientBindings.of(List.of(
                new MllpProperties.Client(NURSERY_PRINT, null, List.of("GENERAL HOSPITAL"), List.of("NURSERY")),
                new MllpProperties.Client(NURSERY_PRINT, null, List.of("WEST CAMPUS"), List.of("LAB"))));

        // when / then
        assertThat(table.check(NURSERY, header("LAB", "WEST CAMPUS"))).isEmpty();
        assertThat(table.check(NURSERY, header("LAB", "GENERAL HOSPITAL"))).get()
                .extracting(MllpClientBindings.Refusal::field).isEqualTo(Hl7Location.field("MSH", 3));
    }

    @Test
    void shouldReadTheComponentSeparatorFromMsh2() {
        // given
        MessageHeader header = MessageHeader.read("MSH|$~\\&|NURSERY|GENERAL HOSPITAL$2.16.840.1.113883.19.5$ISO|NBR|REG|"
                + "20240501093000||ADT$A01|C1|P|2.5.1");

        // when / then
        assertThat(TABLE.check(NURSERY, header)).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
            "no certificate; ; ; nbr.mllp.tls.clients[0] names no certificate",
            "short fingerprint; AB:CD; ; nbr.mllp.tls.clients[0].fingerprint",
            "bad subject; ; not a name; nbr.mllp.tls.clients[0].subject"})
    void shouldNameTheEntryThatIsWrong(String name, String fingerprint, String subject, String expected) {
        // when
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> MllpClientBindings.of(
                List.of(new MllpProperties.Client(fingerprint, subject, List.of(), List.of()))));

        // then
        assertThat(error.getMessage()).startsWith(expected);
    }

    @Test
    void shouldRefuseABlankSenderValue() {
        // when
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> MllpClientBindings.of(
                List.of(new MllpProperties.Client(NURSERY_PRINT, null, List.of(" "), List.of()))));

        // then
        assertThat(error.getMessage()).isEqualTo("nbr.mllp.tls.clients[0].sending-facilities has a blank value");
    }

    @Test
    void shouldDescribeEachEntryForTheStartupLog() {
        // when
        List<String> lines = TABLE.describe();

        // then
        assertThat(lines).containsExactly(
                "fingerprint " + NURSERY_PRINT + " -> facilities 2.16.840.1.113883.19.5, GENERAL HOSPITAL, applications LAB, NURSERY",
                "subject CN=County-Lab,O=county lab -> facilities 2.16.840.1.113883.19.77, COUNTY LAB, applications any");
    }

    private static ClientCertificate certificate(String who) {
        return "lab".equals(who) ? LAB : NURSERY;
    }

    private static MessageHeader header(String application, String facility) {
        return MessageHeader.read("MSH|^~\\&|" + (application == null ? "" : application) + "|" + (facility == null ? "" : facility)
                + "|NBR|REGISTRY|20240501093000||ADT^A01^ADT_A01|C1|P|2.5.1");
    }
}

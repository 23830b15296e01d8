package org.newbornregistry.conformance.index;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.newbornregistry.conformance.SharedCorpus;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CmfReaderTest {

    private final CmfReader reader = new CmfReader();

    @Test
    void shouldReadTheCmfSpecificationsExampleFile() throws Exception {
        // when
        List<IndexProfile> profiles = reader.read(Files.readAllBytes(SharedCorpus.file("cmf/CODIS-32.AppendixAexample.xml")));

        // then
        assertThat(profiles).extracting(IndexProfile::pseudonym).containsExactly("IMP_0001A", "IMP_0001B");
        assertThat(profiles.get(0).loci().get("CSF1PO")).containsExactlyInAnyOrder("10", "11");
        assertThat(profiles.get(0).loci()).containsKey("D13S317");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
            "a DOCTYPE (external entities); <!DOCTYPE x [<!ENTITY e SYSTEM 'file:///etc/passwd'>]>; not well-formed XML",
            "a specimen id over 24 characters; <SPECIMENID>P1</SPECIMENID>=<SPECIMENID>ABCDEFGHIJKLMNOPQRSTUVWXYZ</SPECIMENID>; SPECIMEN[1]/SPECIMENID must have 1 to 24",
            "a locus CMF does not know; <LOCUSNAME>TH01</LOCUSNAME>=<LOCUSNAME>F13A01</LOCUSNAME>; SPECIMEN[1]/LOCUS[1]/LOCUSNAME is not a locus",
            "a locus typed twice; <LOCUSNAME>FGA</LOCUSNAME>=<LOCUSNAME>TH01</LOCUSNAME>; SPECIMEN[1]/LOCUS[2] types a locus a second time",
            "no specimen id; <SPECIMENID>P1</SPECIMENID>=; SPECIMEN[1] must have exactly one SPECIMENID",
            "another message type; <MESSAGETYPE>Import</MESSAGETYPE>=<MESSAGETYPE>Delete</MESSAGETYPE>; MESSAGETYPE must be Import"
    })
    void shouldRefuseWhatTheIndexWouldRefuseSayingWhere(String name, String change, String expected) {
        // given
        String xml = minimal();
        if (change.startsWith("<!DOCTYPE")) {
            xml = xml.replace("<?xml version=\"1.0\" encoding=\"UTF-8\"?>", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>" + change);
        } else {
            String[] parts = change.split("=", 2);
            assertThat(xml).contains(parts[0]);
            xml = xml.replace(parts[0], parts[1]);
        }
        byte[] bytes = xml.getBytes(StandardCharsets.UTF_8);

        // when, then
        assertThatThrownBy(() -> reader.read(bytes)).isInstanceOf(InvalidSubmissionException.class).hasMessageContaining(expected);
    }

    private static String minimal() {
        return """
                <?xml version="1.0" encoding="UTF-8"?><CODISImportFile xmlns="urn:CODISImportFile-schema">\
                <HEADERVERSION>3.2</HEADERVERSION><MESSAGETYPE>Import</MESSAGETYPE><DESTINATIONORI>NDIS00001</DESTINATIONORI>\
                <SOURCELAB>NBR000001</SOURCELAB><SUBMITBYUSERID>nbr</SUBMITBYUSERID><SUBMITDATETIME>2024-05-10T08:00:00</SUBMITDATETIME>\
                <SPECIMEN><SPECIMENID>P1</SPECIMENID><SPECIMENCATEGORY>Missing Person</SPECIMENCATEGORY>\
                <LOCUS><LOCUSNAME>TH01</LOCUSNAME><READINGBY>nbr</READINGBY><READINGDATETIME>2024-05-09T17:00:00</READINGDATETIME>\
                <ALLELE><ALLELEVALUE>6</ALLELEVALUE></ALLELE><ALLELE><ALLELEVALUE>9.3</ALLELEVALUE></ALLELE></LOCUS>\
                <LOCUS><LOCUSNAME>FGA</LOCUSNAME><READINGBY>nbr</READINGBY><READINGDATETIME>2024-05-09T17:00:00</READINGDATETIME>\
                <ALLELE><ALLELEVALUE>21</ALLELEVALUE></ALLELE></LOCUS></SPECIMEN></CODISImportFile>""";
    }
}

package org.newbornregistry.adapter.index;

import org.junit.jupiter.api.Test;
import org.newbornregistry.adapter.genotype.LocusGenotype;
import org.newbornregistry.adapter.genotype.StrLocus;
import org.newbornregistry.conformance.SharedCorpus;
import org.newbornregistry.conformance.index.CmfReader;
import org.newbornregistry.conformance.index.IndexProfile;

import javax.xml.XMLConstants;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.SchemaFactory;
import javax.xml.validation.Validator;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class CmfWriterTest {

    private static final CmfHeader HEADER = new CmfHeader("NDIS00001", "NBR000001", "nbr-adapter", "Missing Person");
    private static final Instant TYPED = Instant.parse("2024-05-09T17:00:00Z");

    private final CmfWriter writer = new CmfWriter(HEADER);

    // Why not CODIS-32.AppendixBexample.xsd too: that 2002 schema knows neither the seven loci
    // added to the CODIS core in 2017 (D1S1656, D2S441, ...) nor any current kit.
    @Test
    void shouldWriteEveryNistProfileAsAFileTheCmf2017SchemaAccepts() throws Exception {
        // given: the 361 Caucasian profiles of NIST 1036, every locus CMF names
        Validator validator = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI)
                .newSchema(SharedCorpus.file("cmf/CMF-2017.xsd").toFile()).newValidator();
        List<String> lines = Files.readAllLines(SharedCorpus.file("genotypes/1036_revised_Cauc_n_361.csv"));
        String[] header = lines.get(0).split(",", -1);

        int written = 0;
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",", -1);
            List<LocusGenotype> loci = new ArrayList<>();
            for (int column = 2; column + 1 < header.length; column += 2) {
                var locus = StrLocus.find(header[column]);
                if (locus.isPresent() && !(cells[column].isBlank() && cells[column + 1].isBlank())) {
                    loci.add(LocusGenotype.of(locus.get(), List.of(cells[column], cells[column + 1])));
                }
            }
            IndexSubmission submission = new IndexSubmission(new Pseudonymizer(new byte[32]).pseudonym(cells[0]),
                    "GlobalFiler", TYPED, loci, false);

            // when
            String cmf = writer.write(submission, "NBR-2024-05-10-1", Instant.parse("2024-05-10T08:00:00Z"));

            // then
            validator.validate(new StreamSource(new StringReader(cmf)));
            written++;
        }
        assertThat(written).isEqualTo(361);
    }

    @Test
    void shouldKeepAllelesAsSentAndCarryNothingButThePseudonym() {
        // given
        IndexSubmission submission = new IndexSubmission("MDSDCWI64C3H6DMKE2VMX5NX", "GlobalFiler", TYPED, List.of(
                LocusGenotype.of(StrLocus.TH01, List.of("6", "9.3")),
                LocusGenotype.of(StrLocus.FGA, List.of(">30")),
                LocusGenotype.of(StrLocus.AMELOGENIN, List.of("X")),
                LocusGenotype.of(StrLocus.PENTA_D, List.of("9", "13"))), true);

        // when
        String cmf = writer.write(submission, "B1", Instant.parse("2024-05-10T08:00:00Z"));

        // then
        assertThat(cmf).contains("<SPECIMENID>MDSDCWI64C3H6DMKE2VMX5NX</SPECIMENID>", "<ALLELEVALUE>9.3</ALLELEVALUE>",
                "<ALLELEVALUE>&gt;30</ALLELEVALUE>", "<LOCUSNAME>Penta D</LOCUSNAME>", "<LOCUSNAME>Amelogenin</LOCUSNAME>",
                "PARTIAL=\"true\"", "<SUBMITDATETIME>2024-05-10T08:00:00</SUBMITDATETIME>");
        assertThat(cmf.split("<SPECIMEN ")).hasSize(2);
        IndexProfile read = new CmfReader().read(cmf.getBytes(StandardCharsets.UTF_8)).get(0);
        assertThat(read.pseudonym()).isEqualTo("MDSDCWI64C3H6DMKE2VMX5NX");
        assertThat(read.loci()).containsEntry("TH01", Set.of("6", "9.3")).containsEntry("FGA", Set.of(">30"))
                .containsEntry("Penta D", Set.of("9", "13")).hasSize(4);
    }
}

package org.newbornregistry.adapter.genotype;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.newbornregistry.conformance.SharedCorpus;

import java.nio.file.Files;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LocusGenotypeTest {

    @Test
    void shouldAcceptEveryCodisGenotypeOfTheNist1036PopulationSamples() throws Exception {
        // given: 939 real people typed at 29 loci (Caucasian, African American, Hispanic)
        int checked = 0;
        for (String file : List.of("1036_revised_Cauc_n_361.csv", "1036_revised_AfAm_n_342.csv", "1036_revised_Hisp_n_236.csv")) {
            List<String> lines = Files.readAllLines(SharedCorpus.file("genotypes/" + file));
            String[] header = lines.get(0).split(",", -1);
            for (String line : lines.subList(1, lines.size())) {
                String[] cells = line.split(",", -1);
                for (int column = 2; column + 1 < header.length; column += 2) {
                    // when
                    var locus = StrLocus.find(header[column]);
                    if (locus.isEmpty() || (cells[column].isBlank() && cells[column + 1].isBlank())) {
                        continue; // a locus outside the registry's list, or one this person was not typed at
                    }
                    LocusGenotype genotype = LocusGenotype.of(locus.get(), List.of(cells[column], cells[column + 1]));

                    // then
                    assertThat(genotype.alleles()).isNotEmpty();
                    checked++;
                }
            }
        }
        assertThat(checked).as("CODIS genotypes checked").isGreaterThan(900 * 20);
    }

    @Test
    void shouldKnowTheSpellingsSendersUseAndRefuseOtherLoci() {
        assertThat(StrLocus.find("THO1")).contains(StrLocus.TH01);
        assertThat(StrLocus.find("TP0X")).contains(StrLocus.TPOX);
        assertThat(StrLocus.find("Penta_D")).contains(StrLocus.PENTA_D);
        assertThat(StrLocus.find("penta d")).contains(StrLocus.PENTA_D);
        assertThat(StrLocus.find("AMEL")).contains(StrLocus.AMELOGENIN);
        assertThat(StrLocus.find("F13A01")).isEmpty();
        assertThat(StrLocus.find("D99S999")).isEmpty();
        assertThat(StrLocus.CODIS_CORE).hasSize(20).doesNotHaveDuplicates();
    }

    @Test
    void shouldKeepAllelesAsTheStringsSent() {
        assertThat(LocusGenotype.of(StrLocus.TH01, List.of("9.3", "6")).joined()).isEqualTo("9.3,6");
        assertThat(LocusGenotype.of(StrLocus.FGA, List.of(">30")).alleles()).containsExactly(">30");
        assertThat(LocusGenotype.of(StrLocus.TPOX, List.of("8", "9", "11")).alleles()).hasSize(3);
        assertThat(LocusGenotype.of(StrLocus.AMELOGENIN, List.of("X", "Y")).joined()).isEqualTo("X,Y");
    }

    @ParameterizedTest
    @ValueSource(strings = {"9.33", "abc", "1234", "9,3", "X"})
    void shouldRefuseMalformedRepeatAllelesWithoutEchoingThem(String allele) {
        assertThatThrownBy(() -> LocusGenotype.of(StrLocus.D8S1179, List.of(allele)))
                .isInstanceOf(IllegalArgumentException.class)
                .message().doesNotContain(allele);
    }

    @Test
    void shouldRefuseFourAllelesAndNonSexAllelesAtAmelogenin() {
        assertThatThrownBy(() -> LocusGenotype.of(StrLocus.TPOX, List.of("8", "9", "10", "11")))
                .hasMessageContaining("more than 3");
        assertThatThrownBy(() -> LocusGenotype.of(StrLocus.AMELOGENIN, List.of("12")))
                .hasMessageContaining("X or Y");
    }
}

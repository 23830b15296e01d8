package org.newbornregistry.conformance.index;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.newbornregistry.conformance.SharedCorpus;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class ReferenceIndexTest {

    private static final List<IndexProfile> NIST = new ArrayList<>();

    @BeforeAll
    static void loadNistProfiles() throws Exception {
        for (String file : List.of("1036_revised_Cauc_n_361.csv", "1036_revised_AfAm_n_342.csv", "1036_revised_Hisp_n_236.csv")) {
            List<String> lines = Files.readAllLines(SharedCorpus.file("genotypes/" + file));
            String[] header = lines.get(0).split(",", -1);
            for (String line : lines.subList(1, lines.size())) {
                String[] cells = line.split(",", -1);
                Map<String, List<String>> loci = new LinkedHashMap<>();
                for (int column = 2; column + 1 < header.length; column += 2) {
                    if (CmfReader.LOCUS_NAMES.contains(header[column].replace('_', ' ')) && !cells[column].isBlank()) {
                        loci.put(header[column].replace('_', ' '), List.of(cells[column], cells[column + 1]));
                    }
                }
                NIST.add(IndexProfile.of(cells[0], loci));
            }
        }
    }

    @Test
    void shouldFindEachOfNineHundredRealPeopleByTheirOwnProfileAndNoOneElse() {
        // given
        ReferenceIndex index = new ReferenceIndex();
        NIST.forEach(p -> index.submit("key-" + p.pseudonym(), p));

        for (IndexProfile person : NIST) {
            // when
            List<ReferenceIndex.Candidate> found = index.search(person.loci(), Stringency.HIGH);

            // then
            assertThat(found).extracting(ReferenceIndex.Candidate::pseudonym).containsExactly(person.pseudonym());
        }
        assertThat(NIST).hasSizeGreaterThan(900);
    }

    @Test
    void shouldNotMatchASiblingLikeProfileAtHighStringency() {
        // given: for each person, a relative sharing one allele per locus with them
        ReferenceIndex index = new ReferenceIndex();
        NIST.forEach(p -> index.submit("key-" + p.pseudonym(), p));
        Random random = new Random(1036);
        int matched = 0;

        for (IndexProfile person : NIST.subList(0, 200)) {
            IndexProfile other = NIST.get(random.nextInt(NIST.size()));
            Map<String, List<String>> relative = new LinkedHashMap<>();
            person.loci().forEach((locus, alleles) -> {
                List<String> fromOther = new ArrayList<>(other.loci().getOrDefault(locus, alleles));
                relative.put(locus, List.of(alleles.iterator().next(), fromOther.get(random.nextInt(fromOther.size()))));
            });

            // when
            List<ReferenceIndex.Candidate> found = index.search(ReferenceIndex.target(relative), Stringency.HIGH);

            // then
            if (found.stream().anyMatch(c -> c.pseudonym().equals(person.pseudonym()))) {
                matched++;
            }
        }
        assertThat(matched).isZero();
    }

    @Test
    void shouldMatchAHomozygoteToAHeterozygoteOnlyAtModerateStringency() {
        // given: a degraded sample where one allele dropped out at one locus
        ReferenceIndex index = new ReferenceIndex();
        IndexProfile person = NIST.get(0);
        index.submit("k", person);
        Map<String, Set<String>> degraded = new LinkedHashMap<>(person.loci());
        String heterozygous = person.loci().entrySet().stream().filter(e -> e.getValue().size() == 2).findFirst().orElseThrow().getKey();
        degraded.put(heterozygous, Set.of(person.loci().get(heterozygous).iterator().next()));

        // when, then
        assertThat(index.search(degraded, Stringency.HIGH)).isEmpty();
        assertThat(index.search(degraded, Stringency.MODERATE)).extracting(ReferenceIndex.Candidate::pseudonym)
                .containsExactly(person.pseudonym());
    }

    @Test
    void shouldStoreASubmissionOnceWhateverTheResendsAndDeleteOnRequest() {
        // given
        ReferenceIndex index = new ReferenceIndex();
        IndexProfile profile = NIST.get(1);

        // when
        ReferenceIndex.Receipt first = index.submit("sub-1", profile);
        ReferenceIndex.Receipt resent = index.submit("sub-1", profile);

        // then
        assertThat(resent.duplicate()).isTrue();
        assertThat(resent.receiptId()).isEqualTo(first.receiptId());
        assertThat(index.pseudonyms()).containsExactly(profile.pseudonym());
        assertThat(index.delete(profile.pseudonym())).isTrue();
        assertThat(index.pseudonyms()).isEmpty();
        assertThat(index.delete(profile.pseudonym())).isFalse();
    }
}

package org.newbornregistry.conformance.index;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A profile as the index keeps it: the pseudonym and, per CMF locus name, the set of alleles
 * (a homozygote is one allele).
 *
 * @param pseudonym the specimen id the registry submitted
 * @param loci      locus name → alleles
 */
public record IndexProfile(String pseudonym, Map<String, Set<String>> loci) {

    public IndexProfile {
        Map<String, Set<String>> copy = new LinkedHashMap<>();
        loci.forEach((locus, alleles) -> copy.put(locus, Set.copyOf(new TreeSet<>(alleles))));
        loci = Map.copyOf(copy);
    }

    /** A profile from locus names and allele lists. */
    public static IndexProfile of(String pseudonym, Map<String, List<String>> loci) {
        Map<String, Set<String>> sets = new LinkedHashMap<>();
        loci.forEach((locus, alleles) -> sets.put(locus, new TreeSet<>(alleles)));
        return new IndexProfile(pseudonym, sets);
    }
}

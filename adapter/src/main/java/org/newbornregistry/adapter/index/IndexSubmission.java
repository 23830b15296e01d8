package org.newbornregistry.adapter.index;

import org.newbornregistry.adapter.genotype.LocusGenotype;

import java.time.Instant;
import java.util.List;

/**
 * One newborn's STR profile as the national index receives it: under its pseudonym, with the
 * typing kit and when it was typed, and nothing else about the child.
 *
 * @param pseudonym the newborn's name at the index ({@link Pseudonymizer})
 * @param kit       the typing kit (CMF KIT, at most 32 characters), or null
 * @param typedAt   when the lab read the profile
 * @param loci      the genotype, one entry per locus
 * @param partial   whether loci the kit types are missing
 */
public record IndexSubmission(String pseudonym, String kit, Instant typedAt, List<LocusGenotype> loci, boolean partial) {

    public IndexSubmission {
        if (pseudonym == null || pseudonym.isEmpty() || pseudonym.length() > Pseudonymizer.LENGTH) {
            throw new IllegalArgumentException("a pseudonym has 1 to " + Pseudonymizer.LENGTH + " characters");
        }
        if (loci == null || loci.isEmpty()) {
            throw new IllegalArgumentException("a submission needs at least one locus");
        }
        loci = List.copyOf(loci);
    }
}

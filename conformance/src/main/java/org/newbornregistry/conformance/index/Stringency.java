package org.newbornregistry.conformance.index;

import java.util.Set;

/**
 * How alike two typings of one locus must be to match, as the US national index defines its
 * search stringencies.
 */
public enum Stringency {
    /** The same alleles at every compared locus. */
    HIGH {
        @Override
        boolean matches(Set<String> target, Set<String> candidate) {
            return target.equals(candidate);
        }
    },
    /**
     * All alleles of one typing are among the other's: a homozygote matches a heterozygote
     * sharing its allele, which allows for an allele that dropped out of a degraded sample.
     */
    MODERATE {
        @Override
        boolean matches(Set<String> target, Set<String> candidate) {
            return candidate.containsAll(target) || target.containsAll(candidate);
        }
    };

    abstract boolean matches(Set<String> target, Set<String> candidate);
}

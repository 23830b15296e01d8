package org.newbornregistry.adapter.genotype;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The alleles typed at one STR locus, kept as the strings the lab wrote: {@code 9.3}
 * (microvariant) is not the number 9.3, {@code >30} and {@code <6} are off-ladder calls, and a
 * homozygote is one allele. Up to three alleles (tri-allelic patterns); X and Y at Amelogenin.
 *
 * @param locus   the locus
 * @param alleles the alleles in the order sent
 */
public record LocusGenotype(StrLocus locus, List<String> alleles) {

    /** Most alleles at one locus: tri-allelic patterns occur (TPOX, for example). */
    public static final int MAX_ALLELES = 3;

    private static final Pattern REPEAT = Pattern.compile("[<>]?\\d{1,2}(\\.\\d)?");
    private static final Pattern SEX = Pattern.compile("[XY]");

    public LocusGenotype {
        alleles = List.copyOf(alleles);
    }

    /**
     * Validates alleles as sent for a locus.
     *
     * @throws IllegalArgumentException naming what is wrong (never the allele itself)
     */
    public static LocusGenotype of(StrLocus locus, List<String> sent) {
        List<String> alleles = new ArrayList<>();
        for (String allele : sent) {
            String trimmed = allele == null ? "" : allele.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            boolean valid = locus.isSexMarker() ? SEX.matcher(trimmed).matches() : REPEAT.matcher(trimmed).matches();
            if (!valid) {
                throw new IllegalArgumentException(locus.isSexMarker()
                        ? "an Amelogenin allele is X or Y"
                        : "an allele is a repeat number with at most one decimal (9.3), or <n / >n off ladder");
            }
            alleles.add(trimmed);
        }
        if (alleles.isEmpty()) {
            throw new IllegalArgumentException("no allele");
        }
        if (alleles.size() > MAX_ALLELES) {
            throw new IllegalArgumentException("more than " + MAX_ALLELES + " alleles at one locus");
        }
        return new LocusGenotype(locus, alleles);
    }

    /** The alleles as one string, comma-separated, as the genotype Observation's component carries them. */
    public String joined() {
        return String.join(",", alleles);
    }
}

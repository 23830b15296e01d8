package org.newbornregistry.conformance.index;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The reference index's holdings: profiles by pseudonym, submissions remembered by their
 * idempotency key (a resend after a lost response is answered with the first receipt and
 * stores nothing twice), deletion by pseudonym, and identity search. Thread-safe.
 */
public final class ReferenceIndex {

    /** What the index answers to a submission. */
    public record Receipt(String receiptId, String pseudonym, boolean duplicate) {
    }

    /** A search hit: a held pseudonym and how many loci were compared and matched. */
    public record Candidate(String pseudonym, int matchingLoci) {
    }

    /** Fewest loci two profiles must share for a search to report a candidate. */
    public static final int MIN_COMPARED_LOCI = 8;

    private final Map<String, IndexProfile> profiles = new ConcurrentHashMap<>();
    private final Map<String, Receipt> receipts = new ConcurrentHashMap<>();

    /** Keeps a profile under its pseudonym, replacing an earlier one; once per submission key. */
    public synchronized Receipt submit(String submissionKey, IndexProfile profile) {
        Receipt earlier = receipts.get(submissionKey);
        if (earlier != null) {
            return new Receipt(earlier.receiptId(), earlier.pseudonym(), true);
        }
        profiles.put(profile.pseudonym(), profile);
        Receipt receipt = new Receipt("R-" + (receipts.size() + 1), profile.pseudonym(), false);
        receipts.put(submissionKey, receipt);
        return receipt;
    }

    /** Removes the profile of a pseudonym; whether there was one. */
    public boolean delete(String pseudonym) {
        return profiles.remove(pseudonym) != null;
    }

    /** The profile held for a pseudonym. */
    public Optional<IndexProfile> get(String pseudonym) {
        return Optional.ofNullable(profiles.get(pseudonym));
    }

    /** Every pseudonym held, for tests. */
    public List<String> pseudonyms() {
        return profiles.keySet().stream().sorted().toList();
    }

    /** Forgets everything, for tests. */
    public synchronized void clear() {
        profiles.clear();
        receipts.clear();
    }

    /**
     * The held profiles that match {@code target} at every locus both have typed, at the
     * given stringency, sharing at least {@value #MIN_COMPARED_LOCI} loci; most matching loci
     * first.
     */
    public List<Candidate> search(Map<String, Set<String>> target, Stringency stringency) {
        List<Candidate> candidates = new ArrayList<>();
        for (IndexProfile held : profiles.values()) {
            int compared = 0;
            boolean all = true;
            for (Map.Entry<String, Set<String>> locus : target.entrySet()) {
                Set<String> candidate = held.loci().get(locus.getKey());
                if (candidate == null || candidate.isEmpty() || locus.getValue().isEmpty()) {
                    continue;
                }
                compared++;
                if (!stringency.matches(locus.getValue(), candidate)) {
                    all = false;
                    break;
                }
            }
            if (all && compared >= MIN_COMPARED_LOCI) {
                candidates.add(new Candidate(held.pseudonym(), compared));
            }
        }
        candidates.sort(Comparator.comparingInt(Candidate::matchingLoci).reversed().thenComparing(Candidate::pseudonym));
        return candidates;
    }

    /** A target profile as locus name → alleles, for {@link #search}. */
    public static Map<String, Set<String>> target(Map<String, List<String>> loci) {
        return new LinkedHashMap<>(IndexProfile.of("target", loci).loci());
    }
}

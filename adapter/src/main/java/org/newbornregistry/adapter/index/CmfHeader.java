package org.newbornregistry.adapter.index;

/**
 * Who sends a CMF file to whom, from configuration.
 *
 * @param destinationOri   the national index's ORI (at most 10 characters)
 * @param sourceLab        the registry's ORI as a submitting lab (at most 10 characters)
 * @param submittedBy      the submitting user id (at most 20 characters)
 * @param specimenCategory the CMF specimen category newborn profiles are filed under (one of
 *                         the schema's values; the index operator decides which)
 */
public record CmfHeader(String destinationOri, String sourceLab, String submittedBy, String specimenCategory) {

    public CmfHeader {
        require(destinationOri, 10, "destination ORI");
        require(sourceLab, 10, "source lab ORI");
        require(submittedBy, 20, "submitting user id");
        require(specimenCategory, 32, "specimen category");
    }

    private static void require(String value, int max, String what) {
        if (value == null || value.isEmpty() || value.length() > max) {
            throw new IllegalArgumentException("the " + what + " has 1 to " + max + " characters");
        }
    }
}

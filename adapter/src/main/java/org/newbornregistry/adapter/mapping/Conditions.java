package org.newbornregistry.adapter.mapping;

import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The search URLs (query part) that key a mapped resource to the one the registry already has:
 * FHIR-escaped ({@code \|}, {@code \,}, {@code \$}, {@code \\}) and URL-encoded.
 */
final class Conditions {

    private Conditions() {
    }

    /** By business identifier. */
    static String identifier(Identifier identifier) {
        return "identifier=" + token(identifier.getSystem(), identifier.getValue());
    }

    /** A parent of a newborn: the newborn's reference and the v3 RoleCode. */
    static String parent(String newbornRef, String role) {
        return "patient=" + encode(newbornRef) + "&relationship=" + token(Nk1RelatedPersonMapper.ROLE_CODE, role);
    }

    /** The one resource of its type about a subject (the birth encounter). */
    static String subject(String subjectRef) {
        return "subject=" + encode(subjectRef);
    }

    /**
     * The one observation of a code about a subject that answers no order (the birth record's
     * birth weight, gestational age). Answers given with an order carry the same codes but are
     * keyed by their own identifiers; without {@code based-on:missing} a birth record would
     * overwrite them, or find two and fail.
     */
    static String subjectAndCode(String subjectRef, Coding code) {
        return "subject=" + encode(subjectRef) + "&code=" + token(code.getSystem(), code.getCode()) + "&based-on:missing=true";
    }

    /**
     * A newborn's consent for one purpose: later messages about the purpose update it. By the
     * purpose tag, because R4's {@code purpose} parameter sees only the root provision, and the
     * registry's purposes live in nested ones.
     */
    static String consent(String newbornRef, Coding purpose) {
        return "patient=" + encode(newbornRef) + "&_tag=" + token(purpose.getSystem(), purpose.getCode());
    }

    private static String token(String system, String code) {
        return encode(escape(system) + "|" + escape(code));
    }

    private static String escape(String value) {
        return value == null ? "" : value.replace("\\", "\\\\").replace("|", "\\|").replace(",", "\\,").replace("$", "\\$");
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}

package org.newbornregistry.conformance;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * The project's example FHIR requests ({@code examples/fhir/*.json}: a birth, a blood-spot order,
 * an STR genotype, a consent) as one story with fresh identifiers, so that tests sharing one
 * database can post the whole story again without meeting an earlier run's newborn.
 *
 * @param suffix what replaces the sample numbers' digits in this story
 */
public record FhirExamples(String suffix) {

    /** A new story. */
    public static FhirExamples story() {
        return new FhirExamples(UUID.randomUUID().toString().substring(0, 12).toUpperCase());
    }

    /** The example {@code examples/fhir/<name>} with this story's identifiers. */
    public String json(String name) {
        return original(name)
                .replace("GHM0099", "GHM" + suffix)
                .replace("GH0001", "GH" + suffix)
                .replace("V0001", "V" + suffix)
                .replace("DBS24000001", "DBS" + suffix)
                .replace("NBS0001", "NBS" + suffix)
                .replace("STR-24-0001", "STR-" + suffix);
    }

    /** The newborn's medical record number in this story (system urn:oid:2.16.840.1.113883.19.5). */
    public String mrn() {
        return "GH" + suffix;
    }

    /** The blood spot's id in this story (system urn:oid:2.16.840.1.113883.19.5.4). */
    public String spot() {
        return "DBS" + suffix;
    }

    /** The example as published, unchanged. */
    public static String original(String name) {
        try (InputStream in = FhirExamples.class.getResourceAsStream("/examples/fhir/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no example " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

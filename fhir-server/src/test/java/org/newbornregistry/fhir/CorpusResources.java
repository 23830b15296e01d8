package org.newbornregistry.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.LenientErrorHandler;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;
import org.newbornregistry.adapter.mapping.Intake;
import org.newbornregistry.adapter.mapping.V2Intake;
import org.newbornregistry.conformance.SharedCorpus;
import org.newbornregistry.conformance.TwinBirth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Resources others wrote, for tests that hold a fast path to the general one: the registry's
 * mapping of the shared corpus's HL7 messages and the corpus's FHIR Bundles. Like
 * {@link SharedCorpus}, skips the calling test visibly where the corpus is absent.
 */
public final class CorpusResources {

    private CorpusResources() {
    }

    /** The resources of the transactions mapped from every corpus HL7 message the intake accepts, and from the twin-B sample. */
    public static List<Resource> mappedHl7() {
        V2Intake intake = new V2Intake(ZoneOffset.UTC, Set.of("P", "T", "D"));
        List<Resource> resources = new ArrayList<>();
        for (String name : SharedCorpus.files("hl7")) {
            Intake read = intake.read(bytes("hl7/" + name));
            if (read.accepted()) {
                read.mapped().transaction().getEntry().forEach(e -> resources.add(e.getResource()));
            }
        }
        intake.read(TwinBirth.unique().text().getBytes(StandardCharsets.US_ASCII))
                .mapped().transaction().getEntry().forEach(e -> resources.add(e.getResource()));
        return resources;
    }

    /** The corpus's FHIR Bundles, read leniently: a real one carries a code its value set does not have. */
    public static List<Bundle> fhirBundles(FhirContext fhir) {
        List<Bundle> bundles = new ArrayList<>();
        for (String name : SharedCorpus.files("fhir")) {
            if (name.endsWith(".json")) {
                bundles.add(fhir.newJsonParser()
                        .setParserErrorHandler(new LenientErrorHandler(false).setErrorOnInvalidValue(false))
                        .parseResource(Bundle.class, new String(bytes("fhir/" + name), StandardCharsets.UTF_8)));
            }
        }
        return bundles;
    }

    private static byte[] bytes(String file) {
        try {
            return Files.readAllBytes(SharedCorpus.file(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

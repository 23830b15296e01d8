package org.newbornregistry.fhir.validation;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.hl7.fhir.r4.model.MetadataResource;
import org.newbornregistry.conformance.NbrCanonical;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The registry's FHIR package as the {@code conformance} module ships it on the classpath
 * ({@code package/}, laid out like an NPM FHIR package): its name and version from
 * {@code package.json}, and the resources {@code .index.json} lists, parsed as authored (profiles
 * as differentials; {@link RegistryValidator} generates their snapshots).
 *
 * @param name      package name, {@code org.newbornregistry.fhir}
 * @param version   package version, which every resource in it carries too
 * @param resources the StructureDefinitions, CodeSystems and ValueSets, in index order
 */
public record ConformancePackage(String name, String version, List<MetadataResource> resources) {

    public ConformancePackage {
        resources = List.copyOf(resources);
    }

    /** Reads the package from the classpath. */
    public static ConformancePackage load(FhirContext fhirContext) {
        ObjectMapper json = new ObjectMapper();
        JsonNode manifest = readJson(json, "package.json");
        JsonNode index = readJson(json, ".index.json");
        List<MetadataResource> resources = new ArrayList<>();
        for (JsonNode file : index.path("files")) {
            String filename = file.path("filename").asText();
            resources.add((MetadataResource) fhirContext.newJsonParser().parseResource(read(filename)));
        }
        return new ConformancePackage(manifest.path("name").asText(), manifest.path("version").asText(), resources);
    }

    private static JsonNode readJson(ObjectMapper json, String file) {
        try {
            return json.readTree(read(file));
        } catch (IOException e) {
            throw new UncheckedIOException("package file " + file + " is not JSON", e);
        }
    }

    private static String read(String file) {
        String path = NbrCanonical.PACKAGE_PATH + "/" + file;
        try (InputStream in = ConformancePackage.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("the conformance package has no " + path + " on the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
    }
}

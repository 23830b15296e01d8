package org.newbornregistry.adapter.mapping;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.fhirpath.IFhirPath;
import org.hl7.fhir.instance.model.api.IBase;
import org.hl7.fhir.instance.model.api.IPrimitiveType;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.newbornregistry.conformance.Samples;
import org.newbornregistry.conformance.SharedCorpus;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The mapping tables in {@code conformance/src/main/resources/contracts/mapping} drive these
 * tests: every row maps its sample and checks that the field landed where the row says, and the
 * rows and the mappers' {@link MapsFrom} annotations must name the same v2 field → FHIR element
 * pairs, so that neither the tables nor the code can change alone.
 */
class MappingTableTest {

    /** The mapping tables, one per message family. */
    static final List<String> TABLES = List.of("adt-newborn.md", "oru-r01.md", "oml-o21.md", "consent.md");

    /** The mapper classes whose annotations the tables document. */
    static final List<Class<?>> MAPPERS = List.of(NewbornAdtMapper.class, PidPatientMapper.class, Nk1RelatedPersonMapper.class,
            Pv1EncounterMapper.class, ObxObservationMapper.class, LabResultMapper.class, StrGenotypeMapper.class,
            SpmSpecimenMapper.class, PatientMergeMapper.class, LabOrderMapper.class, ConsentMapper.class, Participants.class);

    private static final IFhirPath FHIR_PATH = FhirContext.forR4Cached().newFhirPath();

    private final V2Intake intake = new V2Intake(ZoneId.of("America/Chicago"), Set.of("P", "T", "D"));
    private final Map<String, Bundle> mapped = new HashMap<>();

    /** One row of a mapping table. */
    record Row(String table, String v2, String fhir, String note, String sample, String check, String expected) {
        String pair() {
            return v2 + " → " + fhir;
        }
    }

    @TestFactory
    Stream<DynamicTest> shouldLandEveryRowsFieldWhereTheTableSays() {
        return rows().stream().map(row -> DynamicTest.dynamicTest(row.table() + ": " + row.pair(), () -> {
            // given
            Bundle transaction = mapped.computeIfAbsent(row.sample(), this::map);
            String type = row.check().substring(0, row.check().indexOf('.'));

            // when
            List<String> values = new ArrayList<>();
            for (Bundle.BundleEntryComponent entry : transaction.getEntry()) {
                Resource resource = entry.getResource();
                if (resource.fhirType().equals(type)) {
                    for (IBase value : FHIR_PATH.evaluate(resource, row.check(), IBase.class)) {
                        values.add(value instanceof IPrimitiveType<?> primitive ? primitive.getValueAsString() : value.toString());
                    }
                }
            }

            // then
            assertThat(values).as("%s in %s", row.check(), row.sample()).contains(row.expected());
        }));
    }

    @Test
    void shouldDocumentEveryAnnotatedMappingInATableAndNothingElse() {
        // given
        Set<String> annotated = new TreeSet<>();
        for (Class<?> mapper : MAPPERS) {
            for (Method method : mapper.getDeclaredMethods()) {
                for (MapsFrom mapsFrom : method.getAnnotationsByType(MapsFrom.class)) {
                    annotated.add(mapsFrom.v2() + " → " + mapsFrom.fhir());
                }
            }
        }

        // when
        Set<String> documented = rows().stream().map(Row::pair).collect(Collectors.toCollection(TreeSet::new));

        // then
        assertThat(documented).as("rows of the mapping tables").containsExactlyElementsOf(annotated);
    }

    @Test
    void shouldSayInTheAnnotationWhatTheTableSaysOfEachMapping() {
        // given: the notes the tables give each pair (code spans as plain text; a pair in two tables may differ)
        Map<String, Set<String>> documented = new HashMap<>();
        rows().forEach(row -> documented.computeIfAbsent(row.pair(), pair -> new TreeSet<>()).add(row.note().replace("`", "")));

        // when
        List<String> differing = new ArrayList<>();
        for (Class<?> mapper : MAPPERS) {
            for (Method method : mapper.getDeclaredMethods()) {
                for (MapsFrom mapsFrom : method.getAnnotationsByType(MapsFrom.class)) {
                    String pair = mapsFrom.v2() + " → " + mapsFrom.fhir();
                    if (!documented.getOrDefault(pair, Set.of()).contains(mapsFrom.note())) {
                        differing.add(pair + " on " + mapper.getSimpleName() + "." + method.getName() + "\n  annotation: "
                                + mapsFrom.note() + "\n  table:      " + documented.get(pair));
                    }
                }
            }
        }

        // then
        assertThat(differing).as("mappings whose annotation and table row say different things").isEmpty();
    }

    private Bundle map(String sample) {
        byte[] bytes;
        if (sample.startsWith("corpus:")) {
            try {
                bytes = Files.readAllBytes(SharedCorpus.file(sample.substring("corpus:".length())));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        } else {
            bytes = Samples.v2(sample);
        }
        Intake result = intake.read(bytes);
        assertThat(result.mapped()).as("%s maps (%s)", sample, result.problems()).isNotNull();
        return result.mapped().transaction();
    }

    static List<Row> rows() {
        List<Row> rows = new ArrayList<>();
        for (String table : TABLES) {
            for (String line : read("/contracts/mapping/" + table).split("\n")) {
                List<String> cells = cells(line);
                if (cells.size() != 6 || cells.get(0).equals("v2") || cells.get(0).startsWith("---")) {
                    continue;
                }
                rows.add(new Row(table, cells.get(0), cells.get(1), cells.get(2), cells.get(3),
                        cells.get(4).replace("`", ""), cells.get(5)));
            }
        }
        assertThat(rows).as("mapping table rows").isNotEmpty();
        return rows;
    }

    /** The cells of a Markdown table line; {@code \|} is a literal bar inside a cell. */
    private static List<String> cells(String line) {
        String trimmed = line.trim();
        if (!trimmed.startsWith("|") || !trimmed.endsWith("|")) {
            return List.of();
        }
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        for (int i = 1; i < trimmed.length() - 1; i++) {
            char c = trimmed.charAt(i);
            if (c == '\\' && i + 1 < trimmed.length() - 1 && trimmed.charAt(i + 1) == '|') {
                cell.append('|');
                i++;
            } else if (c == '|') {
                cells.add(cell.toString().trim());
                cell.setLength(0);
            } else {
                cell.append(c);
            }
        }
        cells.add(cell.toString().trim());
        return cells;
    }

    private static String read(String resource) {
        try (InputStream in = MappingTableTest.class.getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

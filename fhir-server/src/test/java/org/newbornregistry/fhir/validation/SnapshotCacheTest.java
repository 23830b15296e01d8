package org.newbornregistry.fhir.validation;

import ca.uhn.fhir.context.FhirContext;
import org.hl7.fhir.r4.model.MetadataResource;
import org.hl7.fhir.r4.model.StructureDefinition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The profile snapshots kept between starts: generated once per package and HAPI version, read
 * back as generated, generated again when the file is damaged or the package changed.
 */
class SnapshotCacheTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();

    @TempDir
    Path directory;

    @Test
    void shouldGenerateOnceAndReadTheSameSnapshotsBackAtTheNextStart() throws Exception {
        // given
        ConformancePackage authored = ConformancePackage.load(FHIR);
        ConformancePackage generated = SharedValidator.get().conformancePackage();
        AtomicInteger generations = new AtomicInteger();
        SnapshotCache cache = new SnapshotCache(directory);

        // when
        ConformancePackage first = cache.snapshotted(FHIR, authored, () -> {
            generations.incrementAndGet();
            return generated;
        });
        ConformancePackage second = cache.snapshotted(FHIR, authored, () -> {
            generations.incrementAndGet();
            return generated;
        });

        // then
        assertThat(generations).hasValue(1);
        assertThat(first).isSameAs(generated);
        assertThat(second.resources()).hasSameSizeAs(generated.resources());
        for (int i = 0; i < generated.resources().size(); i++) {
            assertThat(FHIR.newJsonParser().encodeResourceToString(second.resources().get(i)))
                    .isEqualTo(FHIR.newJsonParser().encodeResourceToString(generated.resources().get(i)));
        }
        assertThat(second.resources()).filteredOn(StructureDefinition.class::isInstance)
                .isNotEmpty().allMatch(sd -> ((StructureDefinition) sd).hasSnapshot());
    }

    @Test
    void shouldGenerateAgainWhenTheFileIsDamagedOrThePackageChanged() throws Exception {
        // given
        ConformancePackage authored = ConformancePackage.load(FHIR);
        ConformancePackage generated = SharedValidator.get().conformancePackage();
        SnapshotCache cache = new SnapshotCache(directory);
        cache.snapshotted(FHIR, authored, () -> generated);
        try (var files = Files.list(directory)) {
            Files.writeString(files.findFirst().orElseThrow(), "{\"resourceType\":\"Bundle\",");
        }
        List<MetadataResource> fewer = new ArrayList<>(authored.resources().subList(1, authored.resources().size()));
        ConformancePackage changed = new ConformancePackage(authored.name(), authored.version(), fewer);
        AtomicInteger generations = new AtomicInteger();

        // when
        cache.snapshotted(FHIR, authored, () -> {
            generations.incrementAndGet();
            return generated;
        });
        String changedKey = SnapshotCache.key(FHIR, changed);

        // then
        assertThat(generations).as("a damaged file is not used").hasValue(1);
        assertThat(changedKey).isNotEqualTo(SnapshotCache.key(FHIR, authored));
    }
}

package org.newbornregistry.fhir.validation;

import ca.uhn.fhir.context.FhirContext;
import org.hl7.fhir.r4.model.MetadataResource;
import org.hl7.fhir.r4.model.StructureDefinition;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The profile snapshots the build ships on the class path: present for the package as it is now,
 * the same as the snapshot generator makes at run time, and never read for another package.
 */
class ShippedSnapshotsTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();

    @Test
    void shouldShipForThisPackageTheSnapshotsTheGeneratorMakes() {
        // given
        ConformancePackage authored = ConformancePackage.load(FHIR);
        ConformancePackage generated = RegistryValidator.withSnapshots(FHIR, FHIR.getValidationSupport(), authored);

        // when
        ConformancePackage shipped = ShippedSnapshots.find(FHIR, authored).orElseThrow(
                () -> new AssertionError("the build did not ship " + SnapshotCache.fileName(FHIR, authored)));

        // then
        assertThat(shipped.resources()).hasSameSizeAs(generated.resources());
        for (int i = 0; i < generated.resources().size(); i++) {
            assertThat(FHIR.newJsonParser().encodeResourceToString(shipped.resources().get(i)))
                    .as(generated.resources().get(i).getUrl())
                    .isEqualTo(FHIR.newJsonParser().encodeResourceToString(generated.resources().get(i)));
        }
        assertThat(shipped.resources()).filteredOn(StructureDefinition.class::isInstance)
                .isNotEmpty().allMatch(sd -> ((StructureDefinition) sd).hasSnapshot());
    }

    @Test
    void shouldNotFindShippedSnapshotsForAnotherPackage() {
        // given
        ConformancePackage authored = ConformancePackage.load(FHIR);
        List<MetadataResource> fewer = new ArrayList<>(authored.resources().subList(1, authored.resources().size()));
        ConformancePackage changed = new ConformancePackage(authored.name(), authored.version(), fewer);

        // when, then
        assertThat(ShippedSnapshots.find(FHIR, changed)).isEmpty();
    }
}

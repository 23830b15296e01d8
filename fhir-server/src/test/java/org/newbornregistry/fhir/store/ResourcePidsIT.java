package org.newbornregistry.fhir.store;

import org.junit.jupiter.api.Test;
import org.newbornregistry.fhir.RegistryIntegrationSupport;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pids handed out in blocks of the identity sequence: the sequence steps by the block the store
 * uses, and pids from several allocators (several adapter instances) and from inserts that leave
 * the pid to its default never meet.
 */
class ResourcePidsIT extends RegistryIntegrationSupport {

    @Test
    void shouldStepTheResourceSequenceByTheBlockTheStoreHandsOut() {
        // when
        Long increment = jdbc.queryForObject("""
                select s.increment_by from pg_sequences s
                where format('%I.%I', s.schemaname, s.sequencename)::regclass = pg_get_serial_sequence('resource', 'pid')::regclass""",
                Long.class);

        // then
        assertThat(increment).isEqualTo(ResourcePids.BLOCK);
    }

    @Test
    void shouldNeverHandOutAPidTwiceAcrossAllocatorsAndDefaultInserts() {
        // given
        ResourcePids one = new ResourcePids(jdbc);
        ResourcePids other = new ResourcePids(jdbc);
        List<Long> taken = new ArrayList<>();

        // when: more than two blocks each, interleaved with what an insert by default takes
        for (int i = 0; i < 2 * ResourcePids.BLOCK + 7; i++) {
            taken.add(one.next());
            taken.add(other.next());
            if (i % 40 == 0) {
                taken.add(jdbc.queryForObject("select nextval(pg_get_serial_sequence('resource', 'pid'))", Long.class));
            }
        }

        // then
        assertThat(new HashSet<>(taken)).hasSameSizeAs(taken);
    }
}

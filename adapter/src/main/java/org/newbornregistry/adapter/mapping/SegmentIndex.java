package org.newbornregistry.adapter.mapping;

import ca.uhn.hl7v2.model.Group;
import ca.uhn.hl7v2.model.Segment;
import org.newbornregistry.adapter.hl7.Hl7Location;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The non-empty segments of a parsed message with their occurrence numbers, and which of them
 * a mapper used. A mapper that walks HAPI's typed groups marks what it maps; whatever is left
 * and not deliberately ignored is reported as a warning, so that no segment of an accepted
 * message disappears without a word, wherever the parser put it.
 */
final class SegmentIndex {

    private final List<Segments.Found> found;
    private final Map<Segment, Integer> occurrences = new IdentityHashMap<>();
    private final Set<Segment> mapped = Collections.newSetFromMap(new IdentityHashMap<>());

    private SegmentIndex(List<Segments.Found> found) {
        this.found = found;
        for (Segments.Found each : found) {
            occurrences.put(each.segment(), each.occurrence());
        }
    }

    static SegmentIndex of(Group message) {
        return new SegmentIndex(Segments.of(message));
    }

    /** Whether the segment was sent (HAPI hands out empty segments for absent ones). */
    boolean present(Segment segment) {
        return occurrences.containsKey(segment);
    }

    /** Which occurrence of its ID the segment is, 1-based. */
    int occurrence(Segment segment) {
        return occurrences.getOrDefault(segment, 1);
    }

    /** Marks a segment as mapped and returns its occurrence number. */
    int map(Segment segment) {
        mapped.add(segment);
        return occurrence(segment);
    }

    /** Warns about every sent segment that was neither mapped nor is one of {@code ignored}. */
    void warnUnmapped(Set<String> ignored, MappingContext context) {
        for (Segments.Found each : found) {
            // Why: MSH is read by MessageHeader before any mapper runs.
            if (!mapped.contains(each.segment()) && !ignored.contains(each.name()) && !"MSH".equals(each.name())) {
                context.warn(Hl7Location.segment(each.name(), each.occurrence()), "segment is not mapped");
            }
        }
    }
}

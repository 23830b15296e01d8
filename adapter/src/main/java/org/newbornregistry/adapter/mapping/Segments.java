package org.newbornregistry.adapter.mapping;

import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.Group;
import ca.uhn.hl7v2.model.Segment;
import ca.uhn.hl7v2.model.Structure;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The segments of a parsed message in order, wherever HAPI's structure put them (groups,
 * non-standard positions), each with its occurrence number for error locations.
 */
final class Segments {

    /** A segment and which occurrence of its ID it is (1-based). */
    record Found(Segment segment, int occurrence) {
        String name() {
            return segment.getName();
        }
    }

    private Segments() {
    }

    static List<Found> of(Group message) {
        List<Segment> segments = new ArrayList<>();
        collect(message, segments);
        List<Found> found = new ArrayList<>(segments.size());
        Map<String, Integer> counts = new HashMap<>();
        for (Segment segment : segments) {
            found.add(new Found(segment, counts.merge(segment.getName(), 1, Integer::sum)));
        }
        return found;
    }

    private static boolean isEmpty(Segment segment) {
        try {
            return segment.isEmpty();
        } catch (HL7Exception e) {
            return true;
        }
    }

    private static void collect(Group group, List<Segment> out) {
        for (String name : group.getNames()) {
            Structure[] structures;
            try {
                structures = group.getAll(name);
            } catch (HL7Exception e) {
                continue;
            }
            for (Structure structure : structures) {
                if (structure instanceof Segment segment) {
                    if (!isEmpty(segment)) {
                        out.add(segment);
                    }
                } else if (structure instanceof Group child) {
                    collect(child, out);
                }
            }
        }
    }
}

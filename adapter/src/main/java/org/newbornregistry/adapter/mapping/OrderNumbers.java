package org.newbornregistry.adapter.mapping;

import ca.uhn.hl7v2.model.v26.datatype.EI;
import ca.uhn.hl7v2.model.v26.segment.OBR;
import ca.uhn.hl7v2.model.v26.segment.ORC;
import org.hl7.fhir.r4.model.Identifier;

/**
 * The placer and filler numbers of an order (OBR-2/OBR-3, falling back to ORC-2/ORC-3 as the
 * guide's ORC/OBR maps allow), as identifiers typed PLAC and FILL. Either may be null.
 */
record OrderNumbers(Identifier placer, Identifier filler) {

    static OrderNumbers of(ORC orc, OBR obr, MappingContext context) {
        return new OrderNumbers(
                first(obr == null ? null : obr.getPlacerOrderNumber(), orc == null ? null : orc.getPlacerOrderNumber(), "PLAC", context),
                first(obr == null ? null : obr.getFillerOrderNumber(), orc == null ? null : orc.getFillerOrderNumber(), "FILL", context));
    }

    /** The identifier results of this order are keyed by: the filler's number, else the placer's. */
    Identifier resultKey() {
        return filler != null ? filler : placer;
    }

    private static Identifier first(EI fromObr, EI fromOrc, String type, MappingContext context) {
        Identifier identifier = fromObr == null ? null : V2Datatypes.identifier(fromObr, type, context);
        return identifier != null || fromOrc == null ? identifier : V2Datatypes.identifier(fromOrc, type, context);
    }
}

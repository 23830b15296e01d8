package org.newbornregistry.adapter.mapping;

import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.Composite;
import ca.uhn.hl7v2.model.DataTypeException;
import ca.uhn.hl7v2.model.Primitive;
import ca.uhn.hl7v2.model.Type;
import ca.uhn.hl7v2.model.Varies;

/**
 * Reading v2 values: empty and the explicit null {@code ""} both read as absent. They differ in an
 * update, where an empty field leaves the stored element as it is and {@code ""} removes it: the
 * mappers tell the two apart with {@link #isExplicitNull} ({@link V2Update}).
 */
final class V2Values {

    private V2Values() {
    }

    /** The value of a primitive, or of the first component of a composite; null when empty or {@code ""}. */
    static String text(Type type) {
        if (type == null) {
            return null;
        }
        Type data = type instanceof Varies varies ? varies.getData() : type;
        String value;
        if (data instanceof Primitive primitive) {
            value = primitive.getValue();
        } else if (data instanceof Composite composite) {
            try {
                value = composite.getComponents().length == 0 ? null : text(composite.getComponent(0));
            } catch (DataTypeException e) {
                value = null;
            }
        } else {
            value = null;
        }
        if (value == null) {
            return null;
        }
        String trimmed = value.trim();
        return trimmed.isEmpty() || trimmed.equals("\"\"") ? null : trimmed;
    }

    /** Whether a field (or component) was sent as the explicit null {@code ""}, alone. */
    static boolean isExplicitNull(Type type) {
        if (type == null) {
            return false;
        }
        try {
            return "\"\"".equals(type.encode());
        } catch (HL7Exception e) {
            return false;
        }
    }

    /** Whether a repeating field was sent as the explicit null {@code ""}: one repetition, that null. */
    static boolean isExplicitNull(Type[] repetitions) {
        return repetitions.length == 1 && isExplicitNull(repetitions[0]);
    }
}

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

    private static final String EXPLICIT_NULL = "\"\"";

    private V2Values() {
    }

    /** The value of a primitive, or of the first component of a composite; null when empty or {@code ""}. */
    static String text(Type type) {
        String value = type == null ? null : firstValue(type);
        if (value == null) {
            return null;
        }
        String trimmed = value.trim();
        return trimmed.isEmpty() || trimmed.equals(EXPLICIT_NULL) ? null : trimmed;
    }

    /** Whether a field (or component) was sent as the explicit null {@code ""}, alone. */
    static boolean isExplicitNull(Type type) {
        // Why the first value first: encoding a field builds its whole text, and almost every field is no explicit null.
        if (type == null || !EXPLICIT_NULL.equals(firstValue(type))) {
            return false;
        }
        try {
            return EXPLICIT_NULL.equals(type.encode());
        } catch (HL7Exception e) {
            return false;
        }
    }

    /** The value of a field's first primitive, as sent: the text a field sent as {@code ""} begins with. */
    private static String firstValue(Type type) {
        Type data = type instanceof Varies varies ? varies.getData() : type;
        if (data instanceof Primitive primitive) {
            return primitive.getValue();
        }
        if (data instanceof Composite composite) {
            try {
                return composite.getComponents().length == 0 ? null : firstValue(composite.getComponent(0));
            } catch (DataTypeException e) {
                return null;
            }
        }
        return null;
    }

    /** Whether a repeating field was sent as the explicit null {@code ""}: one repetition, that null. */
    static boolean isExplicitNull(Type[] repetitions) {
        return repetitions.length == 1 && isExplicitNull(repetitions[0]);
    }
}

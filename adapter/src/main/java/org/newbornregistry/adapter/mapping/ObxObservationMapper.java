package org.newbornregistry.adapter.mapping;

import ca.uhn.hl7v2.model.Varies;
import ca.uhn.hl7v2.model.v26.segment.OBX;
import ca.uhn.hl7v2.parser.EncodingCharacters;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.StringType;
import org.newbornregistry.adapter.error.MappingException;
import org.newbornregistry.adapter.error.NbrError;
import org.newbornregistry.adapter.hl7.Hl7Location;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * OBX → Observation, after the guide's OBX[Observation] map: code, status, effective time, and
 * the value typed by OBX-2 (NM with its OBX-6 unit, ST/TX/FT, CWE/CE/CNE, DT/DTM/TS, SN). An
 * OBX-5 that does not fit its OBX-2 is an error (AE) rather than a guess.
 */
final class ObxObservationMapper {

    private static final EncodingCharacters ENCODING = new EncodingCharacters('|', "^~\\&");
    private static final Pattern NM_COMPARATOR = Pattern.compile("(<=|>=|<|>)(.+)");
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");
    /** LOINC codes, answer codes (LA) and part codes (LP): digits, a hyphen and a check digit. */
    private static final Pattern LOINC_SHAPE = Pattern.compile("(L[AP])?\\d{1,7}-\\d");

    private ObxObservationMapper() {
    }

    /** The Observation of the {@code occurrence}-th OBX of the message about {@code subject} (null when not known). */
    static Observation map(OBX obx, int occurrence, String subject, MappingContext context) {
        Observation observation = new Observation();
        if (subject != null) {
            observation.getSubject().setReference(subject);
        }
        code(obx, occurrence, observation, context);
        status(obx, occurrence, observation, context);
        effective(obx, occurrence, observation, context);
        value(obx, occurrence, observation, context);
        return observation;
    }

    @MapsFrom(v2 = "OBX-3", fhir = "Observation.code", note = "a code that claims LN but is not shaped like a LOINC code is kept as the sender's local code, with a warning")
    static void code(OBX obx, int occurrence, Observation observation, MappingContext context) {
        CodeableConcept code = V2Datatypes.concept(obx.getObservationIdentifier(), context);
        if (code == null || !code.hasCoding()) {
            throw new MappingException(NbrError.HL7_REQUIRED_FIELD_MISSING, at(occurrence, 3), "an observation needs a code");
        }
        for (var coding : code.getCoding()) {
            // Why: senders label their own codes LN (Oracle Health sends CD:nnn); filed under LOINC they would claim a meaning they do not have.
            if ("http://loinc.org".equals(coding.getSystem()) && !LOINC_SHAPE.matcher(coding.getCode()).matches()) {
                context.warn(at(occurrence, 3), "a code labelled LN that is not a LOINC code; kept as the sender's local code");
                coding.setSystem(V2Datatypes.system(null, context));
            }
        }
        observation.setCode(code);
    }

    @MapsFrom(v2 = "OBX-11", fhir = "Observation.status", note = "F final, C corrected, P/R preliminary, I/S registered, X cancelled, D/W entered-in-error; O (an answer given at order entry) final, where the guide has no target")
    static void status(OBX obx, int occurrence, Observation observation, MappingContext context) {
        String status = V2Values.text(obx.getObservationResultStatus());
        if (status == null) {
            context.warn(at(occurrence, 11), "no result status; recorded as unknown");
            observation.setStatus(Observation.ObservationStatus.UNKNOWN);
            return;
        }
        observation.setStatus(switch (status.toUpperCase(Locale.ROOT)) {
            case "F", "U", "O" -> Observation.ObservationStatus.FINAL;
            case "C" -> Observation.ObservationStatus.CORRECTED;
            case "P", "R" -> Observation.ObservationStatus.PRELIMINARY;
            case "I", "S" -> Observation.ObservationStatus.REGISTERED;
            case "X" -> Observation.ObservationStatus.CANCELLED;
            case "D", "W" -> Observation.ObservationStatus.ENTEREDINERROR;
            default -> throw new MappingException(NbrError.HL7_TABLE_VALUE_NOT_FOUND, at(occurrence, 11),
                    "is not a code of HL7 table 0085");
        });
    }

    @MapsFrom(v2 = "OBX-14", fhir = "Observation.effectiveDateTime")
    static void effective(OBX obx, int occurrence, Observation observation, MappingContext context) {
        String effective = V2Datatypes.resultDateTime(V2Values.text(obx.getDateTimeOfTheObservation()), at(occurrence, 14), context);
        if (effective != null) {
            observation.setEffective(new DateTimeType(effective));
        }
    }

    @MapsFrom(v2 = "OBX-5", fhir = "Observation.value[x]", note = "typed by OBX-2; NM with OBX-6 as UCUM Quantity; CX/XAD/XTN/XPN/XCN/XON as a readable string (deviation: the guide has no target); empty OBX-2 read as ST with a warning")
    static void value(OBX obx, int occurrence, Observation observation, MappingContext context) {
        List<String> values = new ArrayList<>();
        for (Varies varies : obx.getObservationValue()) {
            String encoded = encode(varies);
            if (encoded != null && !encoded.isBlank() && !encoded.equals("\"\"")) {
                values.add(encoded);
            }
        }
        if (values.isEmpty()) {
            return;
        }
        String type = V2Values.text(obx.getValueType());
        if (type == null) {
            context.warn(at(occurrence, 2), "no value type but a value; read as ST");
            type = "ST";
        }
        String first = values.get(0);
        Hl7Location valueAt = at(occurrence, 5);
        switch (type.toUpperCase(Locale.ROOT)) {
            case "NM" -> observation.setValue(numeric(first, obx, valueAt, context));
            case "ST", "TX", "FT" -> observation.setValue(new StringType(unescape(String.join("\n", values))));
            case "CWE", "CE", "CNE", "CF" -> observation.setValue(concept(first, obx, context));
            case "DT", "DTM", "TS" -> observation.setValue(new DateTimeType(V2Datatypes.dateTime(component(first, 0), valueAt, context)));
            case "SN" -> observation.setValue(structuredNumeric(first, obx, valueAt, context));
            // Why: identifiers, addresses and phone numbers asked at order entry have no value[x] of their own; kept readable.
            case "CX", "XAD", "XTN", "XPN", "XCN", "XON" -> observation.setValue(new StringType(readable(values)));
            default -> context.warn(valueAt, "value type " + type + " is not mapped; the observation is kept without its value");
        }
    }

    /**
     * An NM value as a Quantity. Two kinds of damage real lab traffic shows are read with a
     * warning rather than refused, because what the lab meant is not in doubt: a comparator
     * ({@code <2.22}, which belongs in an SN) and spaces inside the number ({@code 0 .07}).
     */
    private static Quantity numeric(String text, OBX obx, Hl7Location at, MappingContext context) {
        String value = component(text, 0).trim();
        Matcher comparator = NM_COMPARATOR.matcher(value);
        String sign = null;
        if (comparator.matches()) {
            sign = comparator.group(1);
            value = comparator.group(2).trim();
            context.warn(at, "a comparator in an NM value (SN carries those); kept as the quantity's comparator");
        }
        if (WHITESPACE.matcher(value).find()) {
            value = WHITESPACE.matcher(value).replaceAll("");
            context.warn(at, "spaces inside an NM value; read without them");
        }
        Quantity quantity = quantity(value, obx, at, context);
        if (sign != null) {
            quantity.setComparator(Quantity.QuantityComparator.fromCode(sign));
        }
        return quantity;
    }

    private static Quantity quantity(String text, OBX obx, Hl7Location at, MappingContext context) {
        BigDecimal number;
        try {
            number = new BigDecimal(component(text, 0).trim());
        } catch (NumberFormatException e) {
            throw new MappingException(NbrError.HL7_DATA_TYPE_ERROR, at, "OBX-2 is NM but the value is not a number");
        }
        Quantity quantity = new Quantity().setValueElement(new org.hl7.fhir.r4.model.DecimalType(number));
        String unit = V2Values.text(obx.getUnits().getIdentifier());
        if (unit != null) {
            String unitSystem = V2Values.text(obx.getUnits().getNameOfCodingSystem());
            quantity.setUnit(V2Values.text(obx.getUnits().getText()) != null ? V2Values.text(obx.getUnits().getText()) : unit)
                    .setCode(unit)
                    .setSystem(unitSystem == null || unitSystem.toUpperCase(Locale.ROOT).startsWith("UCUM")
                            ? "http://unitsofmeasure.org" : V2Datatypes.system(unitSystem, context));
        }
        return quantity;
    }

    private static Quantity structuredNumeric(String text, OBX obx, Hl7Location at, MappingContext context) {
        String comparator = component(text, 0);
        Quantity quantity = quantity(component(text, 1), obx, at, context);
        if (!comparator.isEmpty()) {
            quantity.setComparator(Quantity.QuantityComparator.fromCode(comparator));
        }
        return quantity;
    }

    private static CodeableConcept concept(String text, OBX obx, MappingContext context) {
        String code = component(text, 0);
        String display = component(text, 1);
        String system = component(text, 2);
        CodeableConcept concept = new CodeableConcept();
        if (!code.isEmpty()) {
            concept.addCoding(V2Datatypes.coding(code, display.isEmpty() ? null : unescape(display),
                    system.isEmpty() ? null : system, context));
        } else if (!display.isEmpty()) {
            concept.setText(unescape(display));
        }
        return concept;
    }

    /** Components and subcomponents joined by spaces, repetitions by "; ", escapes resolved. */
    private static String readable(List<String> values) {
        List<String> parts = new ArrayList<>();
        for (String value : values) {
            String text = unescape(value.replaceAll("[\\^&]+", " ")).trim();
            if (!text.isEmpty()) {
                parts.add(text);
            }
        }
        return String.join("; ", parts);
    }

    private static String encode(Varies varies) {
        try {
            return varies.getData().encode();
        } catch (ca.uhn.hl7v2.HL7Exception e) {
            return null;
        }
    }

    private static String component(String encoded, int index) {
        String[] parts = encoded.split("\\^", -1);
        return index < parts.length ? parts[index] : "";
    }

    private static String unescape(String text) {
        return ca.uhn.hl7v2.parser.Escape.unescape(text, ENCODING);
    }

    private static Hl7Location at(int occurrence, int field) {
        return new Hl7Location("OBX", occurrence, field, 0);
    }
}

package org.newbornregistry.adapter.mapping;

import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.Varies;
import ca.uhn.hl7v2.model.v26.segment.OBX;
import ca.uhn.hl7v2.parser.EncodingCharacters;
import ca.uhn.hl7v2.parser.Escape;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.StringType;
import org.newbornregistry.adapter.error.MappingException;
import org.newbornregistry.adapter.error.NbrError;
import org.newbornregistry.adapter.genotype.LocusGenotype;
import org.newbornregistry.adapter.genotype.StrLocus;
import org.newbornregistry.adapter.hl7.Hl7Location;
import org.newbornregistry.conformance.NbrCanonical;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * An STR genotype panel (OBR-4 LOINC 84413-4, one OBX per locus) → one genotype Observation
 * with a component per locus: the locus code of the registry's STR locus CodeSystem and the
 * alleles as the lab wrote them, comma-joined ({@code 9.3}, {@code >30}, {@code X,Y}), never
 * converted to numbers. The kit (OBX-17) is the method.
 *
 * <p>A locus name the registry does not know, or an allele that is not one, is refused with
 * the OBX and field it was found in, never with the value: genetic data stays out of ACKs.
 */
final class StrGenotypeMapper {

    /** LOINC "Genotype display name", the Genomics Reporting guide's Genotype code. */

    private static final EncodingCharacters ENCODING = new EncodingCharacters('|', "^~\\&");

    private StrGenotypeMapper() {
    }

    /** The genotype Observation of a panel's OBX segments, about {@code subject} (null when reached through the specimen). */
    @MapsFrom(v2 = "OBX-3 (STR panel)", fhir = "Observation.component.code", note = "locus name in OBX-3.1 (or OBX-3.2), aliases normalised (THO1 → TH01); unknown loci refused")
    @MapsFrom(v2 = "OBX-5 (STR panel)", fhir = "Observation.component.valueString", note = "each repetition one allele, kept as sent and comma-joined; up to three; X/Y at Amelogenin")
    @MapsFrom(v2 = "OBX-17 (STR panel)", fhir = "Observation.method", note = "the typing kit, e.g. GlobalFiler")
    static Observation map(List<OBX> loci, SegmentIndex segments, String subject, MappingContext context) {
        Observation genotype = new Observation();
        genotype.getMeta().addProfile(NbrCanonical.STR_GENOTYPE);
        genotype.getCode().addCoding(new Coding("http://loinc.org", NbrCanonical.STR_GENOTYPE_CODE, "Genotype display name"));
        if (subject != null) {
            genotype.getSubject().setReference(subject);
        }
        if (loci.isEmpty()) {
            throw new MappingException(NbrError.HL7_REQUIRED_FIELD_MISSING, Hl7Location.segment("OBX", 1),
                    "an STR genotype panel without loci");
        }
        Set<StrLocus> seen = EnumSet.noneOf(StrLocus.class);
        boolean first = true;
        for (OBX obx : loci) {
            int at = segments.map(obx);
            if (first) {
                ObxObservationMapper.status(obx, at, genotype, context);
                ObxObservationMapper.effective(obx, at, genotype, context);
                method(obx, genotype, context);
                first = false;
            } else {
                sameAsFirst(obx, at, genotype, context);
            }
            StrLocus locus = locus(obx, at);
            if (!seen.add(locus)) {
                throw new MappingException(NbrError.HL7_DATA_TYPE_ERROR, new Hl7Location("OBX", at, 3, 0),
                        "a locus reported twice in one genotype");
            }
            List<String> alleles = alleles(obx, at);
            if (alleles.isEmpty()) {
                context.warn(new Hl7Location("OBX", at, 5, 0), "no alleles at this locus; the profile is partial");
                continue;
            }
            LocusGenotype typed;
            try {
                typed = LocusGenotype.of(locus, alleles);
            } catch (IllegalArgumentException e) {
                throw new MappingException(NbrError.HL7_DATA_TYPE_ERROR, new Hl7Location("OBX", at, 5, 0), e.getMessage());
            }
            genotype.addComponent()
                    .setCode(new CodeableConcept(new Coding(NbrCanonical.STR_LOCUS_SYSTEM, locus.code(), locus.cmfName())))
                    .setValue(new StringType(typed.joined()));
        }
        return genotype;
    }

    private static StrLocus locus(OBX obx, int at) {
        String code = V2Values.text(obx.getObservationIdentifier().getIdentifier());
        String text = V2Values.text(obx.getObservationIdentifier().getText());
        return StrLocus.find(code).or(() -> StrLocus.find(text)).orElseThrow(() -> new MappingException(
                NbrError.HL7_TABLE_VALUE_NOT_FOUND, new Hl7Location("OBX", at, 3, 0),
                "is not an STR locus the registry accepts (CODIS core, Amelogenin, Penta D/E, SE33, Y-STR)"));
    }

    private static List<String> alleles(OBX obx, int at) {
        String type = V2Values.text(obx.getValueType());
        List<String> alleles = new ArrayList<>();
        for (Varies varies : obx.getObservationValue()) {
            String value;
            try {
                value = varies.getData().encode();
            } catch (HL7Exception e) {
                value = null;
            }
            if (value != null && !value.isBlank() && !value.equals("\"\"")) {
                alleles.add(Escape.unescape(value, ENCODING));
            }
        }
        if (!alleles.isEmpty() && type != null && !"ST".equals(type.toUpperCase(Locale.ROOT))) {
            throw new MappingException(NbrError.HL7_DATA_TYPE_ERROR, new Hl7Location("OBX", at, 2, 0),
                    "STR alleles are strings (ST): 9.3 and >30 are not numbers");
        }
        return alleles;
    }

    private static void method(OBX obx, Observation genotype, MappingContext context) {
        if (obx.getObservationMethodReps() > 0) {
            CodeableConcept kit = V2Datatypes.concept(obx.getObservationMethod(0), context);
            if (kit != null) {
                genotype.setMethod(kit);
            }
        }
    }

    private static void sameAsFirst(OBX obx, int at, Observation genotype, MappingContext context) {
        Observation probe = new Observation();
        ObxObservationMapper.status(obx, at, probe, context);
        if (probe.getStatus() != genotype.getStatus()) {
            context.warn(new Hl7Location("OBX", at, 11, 0), "a result status other than the first locus'; the first is kept");
        }
        String kit = obx.getObservationMethodReps() == 0 ? null : V2Values.text(obx.getObservationMethod(0));
        String firstKit = genotype.hasMethod() ? genotype.getMethod().getCodingFirstRep().getCode() : null;
        if (kit != null && firstKit != null && !kit.equals(firstKit)) {
            context.warn(new Hl7Location("OBX", at, 17, 0), "a kit other than the first locus'; the first is kept");
        }
    }
}

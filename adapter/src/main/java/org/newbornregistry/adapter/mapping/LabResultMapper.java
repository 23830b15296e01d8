package org.newbornregistry.adapter.mapping;

import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.model.v26.group.ORU_R01_OBSERVATION;
import ca.uhn.hl7v2.model.v26.group.ORU_R01_ORDER_OBSERVATION;
import ca.uhn.hl7v2.model.v26.group.ORU_R01_PATIENT_RESULT;
import ca.uhn.hl7v2.model.v26.group.ORU_R01_SPECIMEN;
import ca.uhn.hl7v2.model.v26.message.ORU_R01;
import ca.uhn.hl7v2.model.v26.segment.NTE;
import ca.uhn.hl7v2.model.v26.segment.OBR;
import ca.uhn.hl7v2.model.v26.segment.OBX;
import ca.uhn.hl7v2.model.v26.segment.ORC;
import ca.uhn.hl7v2.model.v26.segment.PID;
import ca.uhn.hl7v2.model.v26.segment.SPM;
import org.hl7.fhir.r4.model.Attachment;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.Specimen;
import org.newbornregistry.adapter.error.MappingException;
import org.newbornregistry.adapter.error.NbrError;
import org.newbornregistry.adapter.hl7.Hl7Location;
import org.newbornregistry.adapter.index.StrGenotypes;
import org.newbornregistry.conformance.NbrCanonical;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Lab results (ORU^R01) → a transaction with one DiagnosticReport per OBR and its Observations,
 * the specimens (SPM) they were measured on, and the orders they fulfil. Newborn-screening
 * panels and OBX after SPM map like any other result; an STR panel (OBR-4 LOINC 84413-4)
 * becomes one genotype Observation ({@link StrGenotypeMapper}).
 *
 * <p>Results are linked by business identifiers, never by arrival order:
 * <ul>
 *   <li>The newborn is the Patient of PID-3 where that identifier is globally scoped (an OID or
 *       URI assigning authority), created if absent so that a birth record arriving later
 *       updates the same Patient.</li>
 *   <li>A lab usually knows the hospital's record number only by a local name, which names
 *       nothing outside the hospital; then the newborn is reached through the specimen (SPM-2),
 *       which the hospital's order links to the newborn, whichever arrives first. The lab's SPM
 *       updates the specimen with v2 semantics: it adds what the lab knows (received time,
 *       condition, an unsatisfactory status) and keeps what the hospital's order gave.</li>
 *   <li>Reports and observations carry a key derived from the order's filler number, the panel
 *       code, the observation code and sub-id ({@link NbrCanonical#RESULT_KEY_SYSTEM}); a
 *       corrected result replaces the earlier one with the same key.</li>
 * </ul>
 *
 * <p>Segment index: MSH, PID, ORC, OBR, OBX, SPM, NTE (after OBX) mapped; SFT, PD1, NK1, PV1,
 * PV2, TQ1, TQ2, CTD, FT1, CTI, DSC and NTE elsewhere deliberately not mapped
 * ({@code contracts/mapping/oru-r01.md}); anything else is reported as a warning.
 */
public final class LabResultMapper {

    /** The trigger events this mapper takes. */
    public static final Set<String> EVENTS = Set.of("R01");

    static final Set<String> IGNORED = Set.of("SFT", "PD1", "NK1", "PV1", "PV2", "TQ1", "TQ2", "CTD", "FT1", "CTI", "DSC", "NTE");

    private final MappingContext context;
    private final SegmentIndex segments;
    private final TransactionBuilder transaction = new TransactionBuilder();
    private final Participants participants;
    private final Map<String, String> specimenRefs = new HashMap<>();
    private final Map<SPM, String> specimenOfSegment = new IdentityHashMap<>();
    private final Map<String, String> orderRefs = new HashMap<>();
    private final ResultKeys keys = new ResultKeys();

    private LabResultMapper(Message message, MappingContext context) {
        this.context = context;
        this.segments = SegmentIndex.of(message);
        this.participants = new Participants(transaction, context);
    }

    /** Maps a parsed ORU^R01 message. */
    public static MappedMessage map(Message message, MappingContext context) {
        if (!(message instanceof ORU_R01 oru)) {
            throw new MappingException(NbrError.HL7_DAMAGED, Hl7Location.field("MSH", 9),
                    "the message does not have the ORU^R01 structure");
        }
        LabResultMapper mapper = new LabResultMapper(message, context);
        try {
            for (ORU_R01_PATIENT_RESULT result : oru.getPATIENT_RESULTAll()) {
                mapper.patientResult(result);
            }
        } catch (HL7Exception e) {
            throw new MappingException(NbrError.HL7_DAMAGED, Hl7Location.field("MSH", 9),
                    "the message's segments do not form an ORU^R01");
        }
        mapper.segments.warnUnmapped(IGNORED, context);
        return new MappedMessage(mapper.transaction.build(), context.warnings());
    }

    private void patientResult(ORU_R01_PATIENT_RESULT result) throws HL7Exception {
        List<ORU_R01_ORDER_OBSERVATION> orders = result.getORDER_OBSERVATIONAll();
        List<SPM> allSpecimens = new ArrayList<>();
        for (ORU_R01_ORDER_OBSERVATION order : orders) {
            for (ORU_R01_SPECIMEN specimen : order.getSPECIMENAll()) {
                if (segments.present(specimen.getSPM())) {
                    allSpecimens.add(specimen.getSPM());
                }
            }
        }
        String newborn = newborn(result.getPATIENT().getPID(), !allSpecimens.isEmpty());
        // Why: senders often give the one specimen of a screening card once, after the first panel only.
        String onlySpecimen = allSpecimens.size() == 1 ? specimen(allSpecimens.get(0), newborn) : null;
        for (ORU_R01_ORDER_OBSERVATION order : orders) {
            if (!segments.present(order.getOBR())) {
                continue;
            }
            order(order, newborn, onlySpecimen);
        }
    }

    /**
     * The newborn's reference, or null when the result reaches the newborn only through its
     * specimen.
     */
    private String newborn(PID pid, boolean hasSpecimen) {
        if (!segments.present(pid)) {
            if (!hasSpecimen) {
                throw new MappingException(NbrError.HL7_REQUIRED_FIELD_MISSING, Hl7Location.segment("PID", 1),
                        "a result needs the newborn: a PID segment or a specimen (SPM) id");
            }
            return null;
        }
        segments.map(pid);
        Patient patient = PidPatientMapper.map(pid, context);
        Identifier key = NewbornAdtMapper.keyIdentifier(patient);
        if (!key.hasValue() || (MappingContext.isSenderScoped(key.getSystem()) && hasSpecimen)) {
            return null;
        }
        return transaction.createIfAbsent(patient, Conditions.identifier(key));
    }

    private String specimen(SPM spm, String newborn) {
        String known = specimenOfSegment.get(spm);
        if (known != null) {
            return known;
        }
        int occurrence = segments.map(spm);
        Specimen specimen = SpmSpecimenMapper.map(spm, occurrence, newborn, context);
        Identifier key = SpmSpecimenMapper.keyIdentifier(specimen);
        String dedupe = key.getSystem() + "|" + key.getValue();
        String ref = specimenRefs.computeIfAbsent(dedupe, k -> transaction.update(specimen, Conditions.identifier(key)));
        specimenOfSegment.put(spm, ref);
        return ref;
    }

    private void order(ORU_R01_ORDER_OBSERVATION order, String newborn, String onlySpecimen) throws HL7Exception {
        ORC orc = segments.present(order.getORC()) ? order.getORC() : null;
        OBR obr = order.getOBR();
        if (orc != null) {
            segments.map(orc);
        }
        int obrAt = segments.map(obr);
        OrderNumbers numbers = OrderNumbers.of(orc, obr, context);
        if (numbers.resultKey() == null) {
            throw new MappingException(NbrError.HL7_REQUIRED_FIELD_MISSING, new Hl7Location("OBR", obrAt, 3, 0),
                    "a result needs its order's filler (OBR-3) or placer (OBR-2) number");
        }
        CodeableConcept panel = V2Datatypes.concept(obr.getUniversalServiceIdentifier(), context);
        if (panel == null || !panel.hasCoding()) {
            throw new MappingException(NbrError.HL7_REQUIRED_FIELD_MISSING, new Hl7Location("OBR", obrAt, 4, 0),
                    "a result needs the code of what was tested");
        }

        List<String> ownSpecimens = new ArrayList<>();
        for (ORU_R01_SPECIMEN specimen : order.getSPECIMENAll()) {
            if (segments.present(specimen.getSPM())) {
                ownSpecimens.add(specimen(specimen.getSPM(), newborn));
            }
        }
        if (ownSpecimens.isEmpty() && onlySpecimen != null) {
            ownSpecimens.add(onlySpecimen);
        }

        DiagnosticReport report = report(obr, obrAt, panel, numbers, newborn, ownSpecimens);
        String reportKey = report.getIdentifierFirstRep().getValue();
        String reportRef = transaction.upsert(report, Conditions.identifier(report.getIdentifierFirstRep()));

        Reference basedOn = order(numbers, panel, newborn, participants.orderer(orc, obr));
        if (basedOn != null) {
            report.addBasedOn(basedOn);
        }

        List<OBX> results = new ArrayList<>();
        Map<OBX, NTE[]> notes = new LinkedHashMap<>();
        for (ORU_R01_OBSERVATION observation : order.getOBSERVATIONAll()) {
            if (segments.present(observation.getOBX())) {
                results.add(observation.getOBX());
                notes.put(observation.getOBX(), observation.getNTEAll().toArray(NTE[]::new));
            }
        }
        if (StrGenotypes.isGenotypeCode(panel)) {
            Observation genotype = StrGenotypeMapper.map(results, segments, newborn, context);
            genotype.addIdentifier(keys.key(reportKey + "|genotype"));
            performer(results.get(0), genotype, report);
            ownSpecimens.forEach(s -> genotype.setSpecimen(new Reference(s)));
            if (basedOn != null) {
                genotype.addBasedOn(basedOn.copy());
            }
            report.addResult(new Reference(transaction.upsert(genotype, Conditions.identifier(genotype.getIdentifierFirstRep()))));
            return;
        }
        for (OBX obx : results) {
            observation(obx, notes.get(obx), reportKey, newborn, ownSpecimens.isEmpty() ? null : ownSpecimens.get(0),
                    basedOn, report, reportRef);
        }
        for (ORU_R01_SPECIMEN specimen : order.getSPECIMENAll()) {
            if (!segments.present(specimen.getSPM())) {
                continue;
            }
            String specimenRef = specimen(specimen.getSPM(), newborn);
            for (OBX obx : specimen.getOBXAll()) {
                if (segments.present(obx)) {
                    observation(obx, new NTE[0], reportKey, newborn, specimenRef, basedOn, report, reportRef);
                }
            }
        }
    }

    private void observation(OBX obx, NTE[] notes, String reportKey, String newborn, String specimenRef,
                             Reference basedOn, DiagnosticReport report, String reportRef) throws HL7Exception {
        int at = segments.map(obx);
        if ("ED".equalsIgnoreCase(V2Values.text(obx.getValueType()))) {
            presentedForm(obx, at, report);
            return;
        }
        Observation observation = ObxObservationMapper.map(obx, at, newborn, context);
        performer(obx, observation, report);
        observation.addIdentifier(keys.key(reportKey + "|" + ResultKeys.codeKey(observation.getCode()) + "|" + ResultKeys.subId(obx)));
        if (specimenRef != null) {
            observation.setSpecimen(new Reference(specimenRef));
        }
        if (basedOn != null) {
            observation.addBasedOn(basedOn.copy());
        }
        notes(notes, observation);
        report.addResult(new Reference(transaction.upsert(observation, Conditions.identifier(observation.getIdentifierFirstRep()))));
    }

    @MapsFrom(v2 = "NTE-3", fhir = "Observation.note", note = "NTE after an OBX; other NTE not mapped")
    private void notes(NTE[] notes, Observation observation) {
        for (NTE nte : notes) {
            segments.map(nte);
            for (var comment : nte.getComment()) {
                String text = V2Values.text(comment);
                if (text != null) {
                    observation.addNote().setText(text);
                }
            }
        }
    }

    @MapsFrom(v2 = "OBR-3", fhir = "DiagnosticReport.identifier", note = "typed FILL, use secondary: the panels of one order share it; the report is keyed by filler number and OBR-4")
    @MapsFrom(v2 = "OBR-4", fhir = "DiagnosticReport.code")
    @MapsFrom(v2 = "OBR-7", fhir = "DiagnosticReport.effectiveDateTime")
    @MapsFrom(v2 = "OBR-22", fhir = "DiagnosticReport.issued", note = "only when sent with a time")
    @MapsFrom(v2 = "OBR-25", fhir = "DiagnosticReport.status", note = "O/I/S registered, A partial, P/R preliminary, C corrected, F final, X cancelled")
    private DiagnosticReport report(OBR obr, int obrAt, CodeableConcept panel, OrderNumbers numbers, String newborn,
                                    List<String> specimens) {
        DiagnosticReport report = new DiagnosticReport();
        report.getMeta().addProfile(NbrCanonical.SCREENING_REPORT);
        Identifier orderKey = numbers.resultKey();
        report.addIdentifier(keys.key(ResultKeys.identifierKey(orderKey) + "|" + ResultKeys.codeKey(panel)));
        if (numbers.filler() != null) {
            report.addIdentifier(numbers.filler().copy().setUse(Identifier.IdentifierUse.SECONDARY));
        }
        report.setCode(panel);
        if (newborn != null) {
            report.getSubject().setReference(newborn);
        }
        specimens.forEach(s -> report.addSpecimen(new Reference(s)));
        String effective = V2Datatypes.resultDateTime(V2Values.text(obr.getObservationDateTime()), new Hl7Location("OBR", obrAt, 7, 0), context);
        if (effective != null) {
            report.setEffective(new DateTimeType(effective));
        }
        String issued = V2Datatypes.resultDateTime(V2Values.text(obr.getResultsRptStatusChngDateTime()), new Hl7Location("OBR", obrAt, 22, 0), context);
        if (issued != null && issued.length() > 10) {
            report.setIssuedElement(new InstantType(issued));
        }
        String status = V2Values.text(obr.getResultStatus());
        if (status == null) {
            context.warn(new Hl7Location("OBR", obrAt, 25, 0), "no result status; recorded as unknown");
            report.setStatus(DiagnosticReport.DiagnosticReportStatus.UNKNOWN);
        } else {
            report.setStatus(switch (status.toUpperCase(Locale.ROOT)) {
                case "O", "I", "S" -> DiagnosticReport.DiagnosticReportStatus.REGISTERED;
                case "A" -> DiagnosticReport.DiagnosticReportStatus.PARTIAL;
                case "P", "R" -> DiagnosticReport.DiagnosticReportStatus.PRELIMINARY;
                case "C" -> DiagnosticReport.DiagnosticReportStatus.CORRECTED;
                case "F" -> DiagnosticReport.DiagnosticReportStatus.FINAL;
                case "X" -> DiagnosticReport.DiagnosticReportStatus.CANCELLED;
                default -> throw new MappingException(NbrError.HL7_TABLE_VALUE_NOT_FOUND, new Hl7Location("OBR", obrAt, 25, 0),
                        "is not a code of HL7 table 0123");
            });
        }
        return report;
    }

    /**
     * The order a report fulfils: created if absent when the newborn is known (the hospital's
     * order, arriving before or after, stays the one record), otherwise referred to by its
     * placer number alone.
     */
    @MapsFrom(v2 = "OBR-2", fhir = "ServiceRequest.identifier", note = "typed PLAC; one ServiceRequest per placer number, whose results all the panels are")
    private Reference order(OrderNumbers numbers, CodeableConcept panel, String newborn, Reference requester) {
        Identifier placer = numbers.placer();
        if (placer == null) {
            return null;
        }
        if (newborn == null) {
            Reference logical = new Reference().setType("ServiceRequest");
            logical.setIdentifier(placer.copy());
            return logical;
        }
        String dedupe = placer.getSystem() + "|" + placer.getValue();
        String ref = orderRefs.computeIfAbsent(dedupe, k -> {
            ServiceRequest request = new ServiceRequest()
                    .setStatus(ServiceRequest.ServiceRequestStatus.COMPLETED)
                    .setIntent(ServiceRequest.ServiceRequestIntent.ORDER)
                    .setCode(panel.copy());
            request.getMeta().addProfile(NbrCanonical.SCREENING_ORDER);
            request.addIdentifier(placer.copy());
            request.getSubject().setReference(newborn);
            request.setRequester(requester);
            return transaction.createIfAbsent(request, Conditions.identifier(placer));
        });
        return new Reference(ref);
    }

    @MapsFrom(v2 = "OBX-23", fhir = "Observation.performer", note = "also the report's performer; an Organization per identifier (XON-10 with XON-6), created if absent; a name alone is a display")
    private void performer(OBX obx, Observation observation, DiagnosticReport report) {
        Reference lab = participants.organization(obx.getPerformingOrganizationName());
        if (lab != null) {
            observation.addPerformer(lab);
            if (!report.hasPerformer()) {
                report.addPerformer(lab.copy());
            }
        }
    }

    @MapsFrom(v2 = "OBX-5 (OBX-2 ED)", fhir = "DiagnosticReport.presentedForm", note = "an encapsulated report is the report's presented form, not an Observation")
    private void presentedForm(OBX obx, int at, DiagnosticReport report) {
        String encoded = encoded(obx);
        String[] parts = encoded == null ? new String[0] : encoded.split("\\^", -1);
        String type = parts.length > 1 ? parts[1] : "";
        String subtype = parts.length > 2 ? parts[2] : "";
        String encoding = parts.length > 3 ? parts[3] : "";
        String data = parts.length > 4 ? parts[4] : "";
        if (data.isEmpty()) {
            context.warn(new Hl7Location("OBX", at, 5, 0), "an encapsulated document without data; not kept");
            return;
        }
        if (!"BASE64".equalsIgnoreCase(encoding)) {
            context.warn(new Hl7Location("OBX", at, 5, 0), "an encapsulated document not in Base64; not kept");
            return;
        }
        org.hl7.fhir.r4.model.Base64BinaryType binary;
        try {
            binary = new org.hl7.fhir.r4.model.Base64BinaryType(data);
        } catch (ca.uhn.fhir.parser.DataFormatException e) {
            // Why: HAPI refuses data that is not Base64; uncaught, it failed the whole message without an ERR (found by V2IntakeFuzzTest).
            context.warn(new Hl7Location("OBX", at, 5, 0), "an encapsulated document whose data is not valid Base64; not kept");
            return;
        }
        Attachment attachment = new Attachment().setContentType(mediaType(type, subtype));
        attachment.setDataElement(binary);
        CodeableConcept code = V2Datatypes.concept(obx.getObservationIdentifier(), context);
        if (code != null && code.hasText()) {
            attachment.setTitle(code.getText());
        } else if (code != null && code.hasCoding()) {
            attachment.setTitle(code.getCodingFirstRep().getDisplay());
        }
        report.addPresentedForm(attachment);
    }

    private static String mediaType(String type, String subtype) {
        String t = type.toLowerCase(Locale.ROOT);
        String s = subtype.toLowerCase(Locale.ROOT);
        if (s.isEmpty()) {
            return "application/octet-stream";
        }
        return switch (t) {
            case "text", "image", "audio", "video", "application" -> t + "/" + s;
            case "ap" -> "application/" + s;
            case "im" -> "image/" + s;
            default -> "application/" + s;
        };
    }

    private static String encoded(OBX obx) {
        try {
            return obx.getObservationValue().length == 0 ? null : obx.getObservationValue(0).getData().encode();
        } catch (HL7Exception e) {
            return null;
        }
    }
}

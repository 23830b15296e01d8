package org.newbornregistry.adapter.mapping;

import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.model.Segment;
import ca.uhn.hl7v2.model.v26.datatype.XCN;
import ca.uhn.hl7v2.model.v26.segment.NK1;
import ca.uhn.hl7v2.model.v26.segment.NTE;
import ca.uhn.hl7v2.model.v26.segment.OBR;
import ca.uhn.hl7v2.model.v26.segment.OBX;
import ca.uhn.hl7v2.model.v26.segment.ORC;
import ca.uhn.hl7v2.model.v26.segment.PID;
import ca.uhn.hl7v2.model.v26.segment.SPM;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.ServiceRequest.ServiceRequestStatus;
import org.hl7.fhir.r4.model.Specimen;
import org.newbornregistry.adapter.error.MappingException;
import org.newbornregistry.adapter.error.NbrError;
import org.newbornregistry.adapter.hl7.Hl7Location;
import org.newbornregistry.conformance.NbrCanonical;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Newborn-screening orders (OML^O21, ORM^O01) → a transaction that upserts the newborn and the
 * parents as a birth record does ({@link NewbornAdtMapper}: an order carries the hospital's own
 * demographics), one ServiceRequest per placer number, the specimens the hospital collected and
 * the answers given at order entry (birth weight, gestational age, feeding, ...) as Observations
 * of the newborn based on the order.
 *
 * <p>Linked by business identifiers, so that the lab's results (ORU^R01, {@link LabResultMapper})
 * find the same records whichever arrives first:
 * <ul>
 *   <li>The order is keyed by its placer number (PLAC, ORC-2/OBR-2). Several OBR with one placer
 *       number (a screening panel and its card-data panel) are one order: the registry holds an
 *       identifier once. The lab's result only creates the order if it is absent; the hospital's
 *       order message updates it, with v2 update semantics: what the message does not carry (a
 *       filler number the lab added) is kept.</li>
 *   <li>Specimens (SPM) are keyed by their id and updated with v2 semantics, so that a re-sent
 *       order does not drop what the lab recorded (received time, condition).</li>
 *   <li>Every OBX under an order is an answer given at order entry (OBX-29 QST/AOE is not
 *       required: senders leave it out). Each is keyed by {@link org.newbornregistry.conformance.NbrCanonical#RESULT_KEY_SYSTEM}
 *       {@code placer system|placer number|code|sub-id}, so a re-sent order updates its answers.</li>
 * </ul>
 *
 * <p>The segments are read in message order, not through HAPI's groups: a second OBR without its
 * own ORC (as Epic sends the card-data panel) lands in OML_O21's PRIOR_RESULT group, and the OBX
 * after it with it. An OBR belongs to the ORC before it; SPM and OBX to the OBR before them; an OBX
 * after an SPM is about that specimen.
 *
 * <p>Errors: the orders are read before the patient is required, so a message whose order is
 * damaged and whose PID is missing is answered with the order's error (one ERR; the ACK carries
 * the first error found). A message without a PID is refused (AE) at PID.
 *
 * <p>Segment index: MSH, PID, NK1 (MTH, FTH), ORC, OBR, SPM, OBX, NTE (after OBR or OBX) mapped;
 * SFT, UAC, PD1, PRT, ROL, PV1, PV2, IN1-3, GT1, AL1, TQ1, TQ2, TCD, CTD, DG1, SAC, FT1, CTI,
 * BLG, NK1 of other relationships and NTE elsewhere deliberately not mapped; anything else (a
 * second PID, OBX outside an order, pharmacy or dietary order details) is reported as a warning.
 */
public final class LabOrderMapper {

    /** The OML trigger events this mapper takes. */
    public static final Set<String> OML_EVENTS = Set.of("O21");
    /** The ORM trigger events this mapper takes. */
    public static final Set<String> ORM_EVENTS = Set.of("O01");

    static final Set<String> IGNORED = Set.of("SFT", "UAC", "PD1", "PRT", "ROL", "PV1", "PV2", "IN1", "IN2", "IN3", "GT1",
            "AL1", "TQ1", "TQ2", "TCD", "CTD", "DG1", "SAC", "FT1", "CTI", "BLG", "NTE");

    /** HL7 table 0119 (order control). */
    private static final Set<String> ORDER_CONTROL_CODES = Set.of("AF", "CA", "CH", "CN", "CP", "CR", "DC", "DE", "DF", "DR",
            "FU", "HD", "HR", "LI", "MC", "NA", "NW", "OC", "OD", "OE", "OF", "OH", "OK", "OP", "OR", "PA", "PR", "PY", "RE",
            "RF", "RL", "RO", "RP", "RQ", "RR", "RU", "SC", "SN", "SR", "SS", "UA", "UC", "UD", "UF", "UH", "UM", "UN", "UR",
            "UX", "XO", "XR", "XX");

    private final MappingContext context;
    private final SegmentIndex segments;
    private final TransactionBuilder transaction = new TransactionBuilder();
    private final ResultKeys keys = new ResultKeys();
    private final Participants participants;

    private PID pid;
    private final Map<String, NK1> parents = new LinkedHashMap<>();
    private final List<Request> requests = new ArrayList<>();
    private final List<Segments.Found> orcsWithoutObr = new ArrayList<>();
    private final Map<SPM, SpecimenEntry> specimenOfSegment = new IdentityHashMap<>();

    /** Consents given with the order (CON from v2.6, the registry's OBX convention before), by occurrence. */
    private final Map<Segment, Integer> consents = new LinkedHashMap<>();
    private final Map<OBX, Integer> consentObservations = new LinkedHashMap<>();

    private LabOrderMapper(Message message, MappingContext context) {
        this.context = context;
        this.segments = SegmentIndex.of(message);
        this.participants = new Participants(transaction, context);
    }

    /** Maps a parsed OML^O21 or ORM^O01 message. */
    public static MappedMessage map(Message message, MappingContext context) {
        LabOrderMapper mapper = new LabOrderMapper(message, context);
        mapper.read(Segments.of(message));
        List<Order> orders = mapper.orders();
        if (mapper.pid == null) {
            throw new MappingException(NbrError.HL7_REQUIRED_FIELD_MISSING, Hl7Location.segment("PID", 1),
                    "an order needs the newborn: a PID segment");
        }
        String newborn = NewbornAdtMapper.newborn(mapper.pid, context, mapper.transaction);
        ConsentMapper.Parties parties = NewbornAdtMapper.parents(mapper.pid, mapper.parents, newborn, context, mapper.transaction);
        mapper.consents.forEach((con, at) -> ConsentMapper.fromCon(con, at, parties, context, mapper.transaction));
        mapper.consentObservations.forEach((obx, at) -> ConsentMapper.fromObx(obx, at, parties, context, mapper.transaction));
        mapper.write(orders, newborn);
        mapper.segments.warnUnmapped(IGNORED, context);
        return new MappedMessage(mapper.transaction.build(), context.warnings());
    }

    /** An OBR with the ORC it belongs to and the SPM, OBX and NTE after it. */
    private static final class Request {
        final ORC orc;
        final int orcAt;
        final OBR obr;
        final int obrAt;
        final List<SPM> specimens = new ArrayList<>();
        final List<Answer> answers = new ArrayList<>();
        final List<NTE> notes = new ArrayList<>();

        Request(ORC orc, int orcAt, OBR obr, int obrAt) {
            this.orc = orc;
            this.orcAt = orcAt;
            this.obr = obr;
            this.obrAt = obrAt;
        }
    }

    /** An OBX under an order, the SPM it follows (or null) and its NTE. */
    private record Answer(OBX obx, int at, SPM specimen, List<NTE> notes) {
    }

    /** An answer's Observation and the SPM it follows (or null). */
    private record MappedAnswer(Observation observation, SPM specimen) {
    }

    /** The OBR sharing one placer number, and what they map to before the newborn is known. */
    private static final class Order {
        final Identifier placer;
        final List<Request> requests = new ArrayList<>();
        final List<SpecimenEntry> specimens = new ArrayList<>();
        final List<MappedAnswer> answers = new ArrayList<>();
        ServiceRequest request;

        Order(Identifier placer) {
            this.placer = placer;
        }
    }

    /** A Specimen, its key and, once written, its placeholder. */
    private static final class SpecimenEntry {
        final Specimen specimen;
        final Identifier key;
        String ref;

        SpecimenEntry(Specimen specimen, Identifier key) {
            this.specimen = specimen;
            this.key = key;
        }
    }

    /** Walks the segments in message order and gathers the patient, the parents and the orders. */
    private void read(List<Segments.Found> found) {
        Segments.Found pendingOrc = null;
        Segments.Found lastOrc = null;
        Request request = null;
        SPM specimen = null;
        Answer answer = null;
        for (Segments.Found each : found) {
            switch (each.name()) {
                case "PID" -> {
                    if (pid == null) {
                        pid = (PID) each.segment();
                        segments.map(pid);
                    }
                }
                case "NK1" -> {
                    NewbornAdtMapper.parent((NK1) each.segment(), each.occurrence(), parents, context);
                    segments.map(each.segment());
                }
                case "ORC" -> {
                    if (pendingOrc != null) {
                        orcsWithoutObr.add(pendingOrc);
                    }
                    pendingOrc = each;
                    lastOrc = each;
                    request = null;
                    specimen = null;
                    answer = null;
                    segments.map(each.segment());
                }
                case "OBR" -> {
                    // Why: Epic sends the card-data OBR of an order without an ORC of its own; it belongs to the one before.
                    Segments.Found orc = pendingOrc != null ? pendingOrc : lastOrc;
                    request = new Request(orc == null ? null : (ORC) orc.segment(), orc == null ? 0 : orc.occurrence(),
                            (OBR) each.segment(), segments.map(each.segment()));
                    requests.add(request);
                    pendingOrc = null;
                    specimen = null;
                    answer = null;
                }
                case "SPM" -> {
                    if (request != null) {
                        specimen = (SPM) each.segment();
                        request.specimens.add(specimen);
                        answer = null;
                        segments.map(specimen);
                    }
                }
                case "CON" -> consents.put(each.segment(), segments.map(each.segment()));
                case "OBX" -> {
                    if (ConsentMapper.isConsent((OBX) each.segment())) {
                        consentObservations.put((OBX) each.segment(), segments.map(each.segment()));
                    } else if (request != null) {
                        answer = new Answer((OBX) each.segment(), segments.map(each.segment()), specimen, new ArrayList<>());
                        request.answers.add(answer);
                    }
                }
                case "NTE" -> {
                    if (answer != null) {
                        answer.notes().add((NTE) each.segment());
                        segments.map(each.segment());
                    } else if (request != null && specimen == null) {
                        request.notes.add((NTE) each.segment());
                        segments.map(each.segment());
                    }
                }
                default -> {
                    // Why: DG1, PV1 and the like between the OBX of an order do not end it; what they are is decided by warnUnmapped.
                }
            }
        }
        if (pendingOrc != null) {
            orcsWithoutObr.add(pendingOrc);
        }
    }

    /** The orders by placer number, mapped without the newborn: every error in them is found before the PID is required. */
    private List<Order> orders() {
        if (!orcsWithoutObr.isEmpty()) {
            throw new MappingException(NbrError.HL7_REQUIRED_FIELD_MISSING, Hl7Location.segment("ORC", orcsWithoutObr.get(0).occurrence()),
                    "an order needs an OBR with the code of what is ordered");
        }
        if (requests.isEmpty()) {
            throw new MappingException(NbrError.HL7_REQUIRED_FIELD_MISSING, Hl7Location.segment("OBR", 1),
                    "an order message needs an order: ORC and OBR");
        }
        Map<String, Order> byPlacer = new LinkedHashMap<>();
        for (Request request : requests) {
            OrderNumbers numbers = OrderNumbers.of(request.orc, request.obr, context);
            if (numbers.placer() == null) {
                throw new MappingException(NbrError.HL7_REQUIRED_FIELD_MISSING, new Hl7Location("OBR", request.obrAt, 2, 0),
                        "an order needs its placer number (OBR-2 or ORC-2): the order and its results are linked by it");
            }
            Order order = byPlacer.computeIfAbsent(ResultKeys.identifierKey(numbers.placer()), k -> new Order(numbers.placer()));
            order.requests.add(request);
            if (order.request == null) {
                order.request = serviceRequest(request, numbers);
            } else {
                further(order.request, request, numbers);
            }
        }
        Map<String, SpecimenEntry> specimenByKey = new LinkedHashMap<>();
        for (Order order : byPlacer.values()) {
            for (Request request : order.requests) {
                for (SPM spm : request.specimens) {
                    SpecimenEntry entry = specimen(spm, specimenByKey);
                    specimenOfSegment.put(spm, entry);
                    if (!order.specimens.contains(entry)) {
                        order.specimens.add(entry);
                    }
                }
            }
        }
        for (Order order : byPlacer.values()) {
            if (order.specimens.isEmpty()) {
                if (specimenByKey.size() == 1) {
                    // Why: one card, one specimen: senders give its SPM once, after the first order only.
                    order.specimens.add(specimenByKey.values().iterator().next());
                } else {
                    order.requests.forEach(this::specimenSource);
                }
            }
            for (Request request : order.requests) {
                for (Answer answer : request.answers) {
                    order.answers.add(new MappedAnswer(answer(answer, order.placer), answer.specimen()));
                }
            }
        }
        return List.copyOf(byPlacer.values());
    }

    /** Adds the specimens, orders and answers to the transaction, now that the newborn is known. */
    private void write(List<Order> orders, String newborn) {
        for (Order order : orders) {
            for (SpecimenEntry entry : order.specimens) {
                if (entry.ref == null) {
                    entry.specimen.getSubject().setReference(newborn);
                    entry.ref = transaction.update(entry.specimen, Conditions.identifier(entry.key));
                }
            }
        }
        for (Order order : orders) {
            ServiceRequest request = order.request;
            request.getSubject().setReference(newborn);
            order.specimens.forEach(s -> request.addSpecimen(new Reference(s.ref)));
            String requestRef = transaction.update(request, Conditions.identifier(order.placer));
            for (MappedAnswer answer : order.answers) {
                Observation observation = answer.observation();
                observation.getSubject().setReference(newborn);
                observation.addBasedOn(new Reference(requestRef));
                SpecimenEntry specimen = answer.specimen() != null ? specimenOfSegment.get(answer.specimen())
                        : order.specimens.size() == 1 ? order.specimens.get(0) : null;
                if (specimen != null) {
                    observation.setSpecimen(new Reference(specimen.ref));
                }
                transaction.upsert(observation, Conditions.identifier(observation.getIdentifierFirstRep()));
            }
        }
    }

    /** The ServiceRequest of an order's first OBR. */
    @MapsFrom(v2 = "ORC-2", fhir = "ServiceRequest.identifier", note = "typed PLAC, OBR-2 first; the key: OBR sharing a placer number are one ServiceRequest (deviation: the guide makes one per OBR); the filler number (ORC-3, OBR-3 first) typed FILL when sent")
    @MapsFrom(v2 = "OBR-4", fhir = "ServiceRequest.code", note = "of the first OBR of the order")
    @MapsFrom(v2 = "ORC-1", fhir = "ServiceRequest.intent", note = "always order")
    @MapsFrom(v2 = "ORC-9", fhir = "ServiceRequest.authoredOn")
    private ServiceRequest serviceRequest(Request request, OrderNumbers numbers) {
        ServiceRequest out = new ServiceRequest().setIntent(ServiceRequest.ServiceRequestIntent.ORDER);
        out.getMeta().addProfile(NbrCanonical.SCREENING_ORDER);
        out.addIdentifier(numbers.placer().copy());
        if (numbers.filler() != null) {
            out.addIdentifier(numbers.filler().copy());
        }
        out.setCode(code(request));
        status(request, out);
        if (request.orc != null) {
            String authored = V2Datatypes.resultDateTime(V2Values.text(request.orc.getDateTimeOfTransaction()),
                    new Hl7Location("ORC", request.orcAt, 9, 0), context);
            if (authored != null) {
                out.setAuthoredOnElement(new DateTimeType(authored));
            }
        }
        requester(request, out);
        notes(request, out);
        return out;
    }

    /** A further OBR of an order already seen. */
    @MapsFrom(v2 = "OBR-4", fhir = "ServiceRequest.orderDetail", note = "of the order's further OBR (e.g. 57717-1 card data after 54089-8); deviation: the guide makes each OBR its own ServiceRequest; not further codings of .code, which must all mean the same")
    private void further(ServiceRequest out, Request request, OrderNumbers numbers) {
        CodeableConcept code = code(request);
        if (!code.equalsDeep(out.getCode()) && out.getOrderDetail().stream().noneMatch(code::equalsDeep)) {
            out.addOrderDetail(code);
        }
        if (numbers.filler() != null && out.getIdentifier().stream().noneMatch(numbers.filler()::equalsDeep)) {
            out.addIdentifier(numbers.filler().copy());
        }
        if (!out.hasRequester()) {
            requester(request, out);
        }
        notes(request, out);
    }

    private CodeableConcept code(Request request) {
        CodeableConcept code = V2Datatypes.concept(request.obr.getUniversalServiceIdentifier(), context);
        if (code == null || !code.hasCoding()) {
            throw new MappingException(NbrError.HL7_REQUIRED_FIELD_MISSING, new Hl7Location("OBR", request.obrAt, 4, 0),
                    "an order needs the code of what is ordered");
        }
        return code;
    }

    @MapsFrom(v2 = "ORC-5", fhir = "ServiceRequest.status", note = "table 0038 as the guide's OrderStatus map: CA/DC/RP revoked, CM completed, ER entered-in-error, HD on-hold, IP/SC active; A active (not in the guide); when ORC-5 is empty, ORC-1 by table 0119 as the guide's OrderControlCode map (NW active, OC/OD/CR/DC revoked, HR/OH on-hold, FU completed, ...); deviation: CA revoked, where the guide keeps a cancel request active until the filler confirms it: the registry confirms nothing; codes the guide does not map are unknown, with a warning")
    private void status(Request request, ServiceRequest out) {
        if (request.orc == null) {
            context.warn(new Hl7Location("OBR", request.obrAt, 0, 0), "an order without ORC; its status is unknown");
            out.setStatus(ServiceRequestStatus.UNKNOWN);
            return;
        }
        String orderStatus = V2Values.text(request.orc.getOrderStatus());
        if (orderStatus != null) {
            out.setStatus(switch (orderStatus.toUpperCase(Locale.ROOT)) {
                case "CA", "DC", "RP" -> ServiceRequestStatus.REVOKED;
                case "CM" -> ServiceRequestStatus.COMPLETED;
                case "ER" -> ServiceRequestStatus.ENTEREDINERROR;
                case "HD" -> ServiceRequestStatus.ONHOLD;
                case "A", "IP", "SC" -> ServiceRequestStatus.ACTIVE;
                default -> throw new MappingException(NbrError.HL7_TABLE_VALUE_NOT_FOUND,
                        new Hl7Location("ORC", request.orcAt, 5, 0), "is not a code of HL7 table 0038");
            });
            return;
        }
        Hl7Location controlAt = new Hl7Location("ORC", request.orcAt, 1, 0);
        String control = V2Values.text(request.orc.getOrderControl());
        if (control == null) {
            context.warn(controlAt, "no order control and no order status; the status is unknown");
            out.setStatus(ServiceRequestStatus.UNKNOWN);
            return;
        }
        String upper = control.toUpperCase(Locale.ROOT);
        if (!ORDER_CONTROL_CODES.contains(upper)) {
            throw new MappingException(NbrError.HL7_TABLE_VALUE_NOT_FOUND, controlAt, "is not a code of HL7 table 0119");
        }
        ServiceRequestStatus status = switch (upper) {
            case "NW", "OK", "AF", "HD", "PR", "PY", "RL", "RO", "RQ" -> ServiceRequestStatus.ACTIVE;
            case "CA", "CR", "DC", "DF", "DR", "OC", "OD" -> ServiceRequestStatus.REVOKED;
            case "HR", "OH" -> ServiceRequestStatus.ONHOLD;
            case "FU" -> ServiceRequestStatus.COMPLETED;
            default -> null;
        };
        if (status == null) {
            context.warn(controlAt, "an order control code that says nothing of the order's status; the status is unknown");
            status = ServiceRequestStatus.UNKNOWN;
        }
        out.setStatus(status);
    }

    /** The orderer: a Practitioner per identifier, created if absent, or a name alone as display. */
    private void requester(Request request, ServiceRequest out) {
        Reference requester = participants.orderer(request.orc, request.obr);
        if (requester != null) {
            out.setRequester(requester);
        }
    }

    @MapsFrom(v2 = "NTE-3 (after OBR)", fhir = "ServiceRequest.note")
    private void notes(Request request, ServiceRequest out) {
        for (NTE nte : request.notes) {
            for (var comment : nte.getComment()) {
                String text = V2Values.text(comment);
                if (text != null) {
                    out.addNote().setText(text);
                }
            }
        }
    }

    /** The Specimen of an SPM, one per specimen id in the message. */
    @MapsFrom(v2 = "SPM", fhir = "Specimen", note = "SpmSpecimenMapper (oru-r01.md has its field rows); upserted by the placer's specimen id (else the filler's), subject the newborn; ServiceRequest.specimen refers to it")
    private SpecimenEntry specimen(SPM spm, Map<String, SpecimenEntry> byKey) {
        Specimen specimen = SpmSpecimenMapper.map(spm, segments.occurrence(spm), null, context);
        Identifier key = SpmSpecimenMapper.keyIdentifier(specimen);
        return byKey.computeIfAbsent(ResultKeys.identifierKey(key), k -> new SpecimenEntry(specimen, key));
    }

    private void specimenSource(Request request) {
        if (sent(request.obr.getSpecimenSource())) {
            context.warn(new Hl7Location("OBR", request.obrAt, 15, 0),
                    "a specimen source without a specimen id; no Specimen is made from it");
        }
    }

    private static boolean sent(ca.uhn.hl7v2.model.Type field) {
        try {
            return !field.isEmpty();
        } catch (ca.uhn.hl7v2.HL7Exception e) {
            return false;
        }
    }

    /** An answer given at order entry. */
    @MapsFrom(v2 = "OBX", fhir = "Observation", note = "ObxObservationMapper (field rows in adt-newborn.md); subject the newborn, basedOn the order, specimen the SPM it follows or the order's only one; keyed placer system|placer number|OBX-3|OBX-4 (#n for repeats)")
    @MapsFrom(v2 = "NTE-3 (after OBX)", fhir = "Observation.note")
    private Observation answer(Answer answer, Identifier placer) {
        Observation observation = ObxObservationMapper.map(answer.obx(), answer.at(), null, context);
        observation.addIdentifier(keys.key(ResultKeys.identifierKey(placer) + "|" + ResultKeys.codeKey(observation.getCode())
                + "|" + ResultKeys.subId(answer.obx())));
        for (NTE nte : answer.notes()) {
            for (var comment : nte.getComment()) {
                String text = V2Values.text(comment);
                if (text != null) {
                    observation.addNote().setText(text);
                }
            }
        }
        return observation;
    }
}

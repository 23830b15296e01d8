package org.newbornregistry.adapter.audit;

import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAction;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAgentComponent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventOutcome;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.newbornregistry.conformance.NbrCanonical;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;

/**
 * The audit events of the registry's own interfaces, after IHE Basic Audit Log Patterns: one per
 * FHIR interaction (BALP's RESTful patterns: type {@code rest}, subtype the restful-interaction,
 * the client and the registry as agents, the resources and — for the Patient variants — the
 * patients as entities, the query of a search as BALP's Query entity) and one per HL7 v2 message
 * (DICOM 110107 Import, the message type, its ACK code as outcome). Denied and failed requests are
 * recorded with their failure outcome, which HAPI's own audit helper does not do.
 */
public final class RestAuditEvents {

    static final String DCM = "http://dicom.nema.org/resources/ontology/DCM";
    static final String EVENT_TYPE = "http://terminology.hl7.org/CodeSystem/audit-event-type";
    static final String INTERACTION = "http://hl7.org/fhir/restful-interaction";
    static final String ENTITY_TYPE = "http://terminology.hl7.org/CodeSystem/audit-entity-type";
    static final String OBJECT_ROLE = "http://terminology.hl7.org/CodeSystem/object-role";

    private RestAuditEvents() {
    }

    /**
     * Who made a request, as far as the registry knows it: two organisations' clients may carry
     * the same subject, so the organisation and the client are recorded beside it.
     *
     * @param user         the token's subject, or null without a token
     * @param address      the network address, or null
     * @param organization the organisation the token speaks for, or null
     * @param clientId     the OAuth client the token was issued to ({@code client_id}, else {@code azp}), or null
     */
    public record Client(String user, String address, String organization, String clientId) {

        /** A client known only by subject and address. */
        public Client(String user, String address) {
            this(user, address, null, null);
        }
    }

    /** The entity detail type of an HL7 message's control id (MSH-10). */
    public static final String CONTROL_ID_DETAIL = "MSH-10";

    /** Identifier system of the organisations a client acts for, as tokens name them. */
    public static final String ORGANIZATION_SYSTEM = NbrCanonical.BASE + "/sid/organization";

    /**
     * A FHIR interaction.
     *
     * @param interaction restful-interaction code: read, vread, create, update, delete, search-type, history-instance,
     *                    transaction, batch, operation, capabilities
     * @param status      the HTTP status answered
     * @param entities    what was read or written, as {@code Type/id} or {@code Type/id/_history/n}
     * @param patients    ids of the patients concerned (BALP's Patient variants)
     * @param query       the query string of a search (BALP's Query entity), or null
     */
    public static AuditEvent interaction(Instant at, String interaction, int status, Client client, Collection<String> entities,
                                         Collection<String> patients, String query) {
        AuditEvent event = new AuditEvent();
        event.getMeta().addProfile(NbrCanonical.AUDIT_EVENT);
        event.setType(new Coding(EVENT_TYPE, "rest", "RESTful Operation"));
        event.addSubtype(new Coding(INTERACTION, interaction, null));
        event.setAction(action(interaction));
        event.setRecorded(Date.from(at));
        event.setOutcome(outcome(status));
        if (status >= 400) {
            event.setOutcomeDesc("HTTP " + status);
        }
        client(event, client);
        registry(event);
        // Why the version when there is one: a write's event names the very Patient version it wrote.
        patients.forEach(id -> IndexAuditEvents.patient(event, entities.stream()
                .filter(e -> e.startsWith("Patient/" + id + "/_history/")).findFirst().orElse(id)));
        entities.stream().filter(e -> !e.startsWith("Patient/")).forEach(e -> event.addEntity().setWhat(new Reference(e))
                .setType(new Coding(ENTITY_TYPE, "2", "System Object"))
                .setRole(new Coding(OBJECT_ROLE, "4", "Domain Resource")));
        if (query != null) {
            event.addEntity().setType(new Coding(ENTITY_TYPE, "2", "System Object"))
                    .setRole(new Coding(OBJECT_ROLE, "24", "Query"))
                    .setQuery(query.getBytes(StandardCharsets.UTF_8))
                    .getWhat().setDisplay("search");
        }
        if (event.getEntity().isEmpty()) {
            event.addEntity().getWhat().setDisplay(interaction);
        }
        return event;
    }

    /**
     * An HL7 v2 message received over MLLP (or replayed).
     *
     * @param controlId   MSH-10 as sent, or null when the message has none
     * @param ackCode     AA, AE or AR
     * @param messageId   the message store's id, or null when the message could not be stored
     * @param resources   what the message wrote ({@code Type/id/_history/n})
     */
    public static AuditEvent hl7Message(Instant at, String messageType, String triggerEvent, String sendingApplication,
                                        String sendingFacility, String controlId, String ackCode, Long messageId,
                                        Collection<String> resources) {
        AuditEvent event = new AuditEvent();
        event.getMeta().addProfile(NbrCanonical.AUDIT_EVENT);
        event.setType(new Coding(DCM, "110107", "Import"));
        event.addSubtype(new Coding("http://terminology.hl7.org/CodeSystem/v2-0003", triggerEvent, null));
        event.addSubtype(new Coding(IndexAuditEvents.EVENT_SYSTEM, "hl7-message", "HL7 v2 message received"));
        event.setAction("AA".equals(ackCode) ? AuditEventAction.C : AuditEventAction.E);
        event.setRecorded(Date.from(at));
        event.setOutcome("AA".equals(ackCode) ? AuditEventOutcome._0 : "AE".equals(ackCode) ? AuditEventOutcome._4 : AuditEventOutcome._8);
        event.setOutcomeDesc(messageType + "^" + triggerEvent + " answered " + ackCode);
        AuditEventAgentComponent sender = event.addAgent();
        sender.setType(new CodeableConcept(new Coding(DCM, "110153", "Source Role ID")));
        sender.setWho(new Reference().setDisplay(sendingApplication + " at " + sendingFacility));
        sender.setName(sendingApplication + " at " + sendingFacility);
        sender.setRequestor(true);
        registry(event);
        event.getAgent().get(1).setType(new CodeableConcept(new Coding(DCM, "110152", "Destination Role ID")));
        // Why the versions: the entity names the very version the message wrote, as for every other resource.
        resources.stream().filter(r -> r.startsWith("Patient/")).distinct().forEach(version -> IndexAuditEvents.patient(event, version));
        resources.stream().filter(r -> !r.startsWith("Patient/")).forEach(r -> event.addEntity().setWhat(new Reference(r))
                .setType(new Coding(ENTITY_TYPE, "2", "System Object"))
                .setRole(new Coding(OBJECT_ROLE, "4", "Domain Resource")));
        AuditEvent.AuditEventEntityComponent message = event.addEntity().setWhat(new Reference().setIdentifier(new Identifier()
                        .setSystem(NbrCanonical.BASE + "/sid/hl7-message").setValue(messageId == null ? "not stored" : messageId.toString())))
                .setType(new Coding(ENTITY_TYPE, "2", "System Object"))
                .setRole(new Coding(OBJECT_ROLE, "3", "Report"));
        // Why: the control id is what a sender quotes when it asks what became of a message.
        if (controlId != null && !controlId.isBlank()) {
            message.addDetail().setType(CONTROL_ID_DETAIL).setValue(new StringType(controlId));
        }
        return event;
    }

    /**
     * A read of one newborn's trail through the audit API: BALP's patient query, subtyped
     * {@code newborn-trail}. Looking at a newborn's history is itself part of that history.
     *
     * @param how how the newborn was found: by identifier, or through a re-identification
     */
    public static AuditEvent newbornTrailRead(Instant at, Client client, String patientId, String how) {
        AuditEvent event = new AuditEvent();
        event.getMeta().addProfile(NbrCanonical.AUDIT_EVENT);
        event.setType(new Coding(EVENT_TYPE, "rest", "RESTful Operation"));
        event.addSubtype(new Coding(IndexAuditEvents.EVENT_SYSTEM, "newborn-trail", "Newborn trail read"));
        event.setAction(AuditEventAction.E);
        event.setRecorded(Date.from(at));
        event.setOutcome(AuditEventOutcome._0);
        event.setOutcomeDesc(how);
        client(event, client);
        registry(event);
        IndexAuditEvents.patient(event, patientId);
        return event;
    }

    private static void client(AuditEvent event, Client client) {
        requester(event, client, new Coding(DCM, "110153", "Source Role ID"));
    }

    /**
     * The requesting agent of an event: the token's subject as who and name, the OAuth client as
     * altId, the address; and, when the token speaks for an organisation, that organisation as an
     * agent of its own, so that two organisations' users with one subject are told apart.
     */
    static AuditEventAgentComponent requester(AuditEvent event, Client client, Coding role) {
        AuditEventAgentComponent agent = event.addAgent();
        agent.setType(new CodeableConcept(role));
        String name = client.user() == null ? "unauthenticated client" : client.user();
        agent.setWho(new Reference().setDisplay(name));
        // Why: agent.name is what the agent-name search parameter finds.
        agent.setName(name);
        if (client.clientId() != null) {
            agent.setAltId(client.clientId());
        }
        agent.setRequestor(true);
        if (client.address() != null) {
            agent.getNetwork().setAddress(client.address()).setType(AuditEvent.AuditEventAgentNetworkType._2);
        }
        if (client.organization() != null) {
            event.addAgent().setType(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/v3-RoleClass",
                            "PROV", "healthcare provider")))
                    .setWho(new Reference().setIdentifier(new Identifier().setSystem(ORGANIZATION_SYSTEM).setValue(client.organization()))
                            .setDisplay(client.organization()))
                    .setRequestor(false);
        }
        return agent;
    }

    private static void registry(AuditEvent event) {
        Reference device = IndexAuditEvents.registryDevice();
        AuditEventAgentComponent server = event.addAgent();
        server.setType(new CodeableConcept(new Coding(DCM, "110152", "Destination Role ID")));
        server.setWho(device.copy());
        server.setRequestor(false);
        event.getSource().setObserver(device).setSite("newborn-registry-adapter")
                .addType(new Coding("http://terminology.hl7.org/CodeSystem/security-source-type", "4", "Application Server"));
    }

    private static AuditEventAction action(String interaction) {
        return switch (interaction) {
            case "create" -> AuditEventAction.C;
            case "update", "patch" -> AuditEventAction.U;
            case "delete" -> AuditEventAction.D;
            case "read", "vread", "history-instance", "history-type", "search-type", "search-system", "capabilities" -> AuditEventAction.R;
            default -> AuditEventAction.E;
        };
    }

    private static AuditEventOutcome outcome(int status) {
        return status < 400 ? AuditEventOutcome._0 : status < 500 ? AuditEventOutcome._4 : AuditEventOutcome._8;
    }
}

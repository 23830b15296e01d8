package org.newbornregistry.fhir.audit.store;

import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Reference;
import org.newbornregistry.adapter.audit.RestAuditEvents;
import org.newbornregistry.fhir.database.PostgresText;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What auditors search an AuditEvent by, read straight from its fields into the audit store's
 * typed columns (no FHIRPath): one place that says which element answers which search parameter.
 *
 * <p>Tokens are {@code system|code}; references {@code Type/id} without version (a search for
 * {@code entity=Patient/1} finds the event that names {@code Patient/1/_history/3}); identifiers
 * of a reference {@code system|value}, beside the reference, so that {@code :identifier} searches
 * use the same column. Agent names are lower-cased for case-insensitive starts-with search.
 *
 * @param recorded  AuditEvent.recorded ({@code date})
 * @param type      AuditEvent.type ({@code type})
 * @param subtypes  AuditEvent.subtype ({@code subtype})
 * @param action    AuditEvent.action ({@code action}), or null
 * @param outcome   AuditEvent.outcome ({@code outcome}), or null
 * @param agents    AuditEvent.agent.who, as reference and identifier ({@code agent}), and the agents' altId
 * @param agentNames AuditEvent.agent.name, lower-cased ({@code agent-name})
 * @param entities  AuditEvent.entity.what, as reference and identifier ({@code entity})
 * @param patients  the Patients among agent.who and entity.what ({@code patient}), as {@code Patient/id}
 * @param source    AuditEvent.source.observer, as reference, else identifier ({@code source})
 * @param controlId the HL7 v2 message control id (MSH-10) an import event names, or null
 */
public record AuditEventColumns(Instant recorded, String type, List<String> subtypes, String action, String outcome,
                                List<String> agents, List<String> agentNames, List<String> entities, List<String> patients,
                                String source, String controlId) {

    /** The columns of an event; an event without a recorded time is refused (the FHIR profile requires one). */
    public static AuditEventColumns of(AuditEvent event) {
        if (event.getRecorded() == null) {
            throw new IllegalArgumentException("an AuditEvent has a recorded time");
        }
        List<String> subtypes = new ArrayList<>();
        event.getSubtype().forEach(coding -> subtypes.add(token(coding)));
        Set<String> agents = new LinkedHashSet<>();
        Set<String> names = new LinkedHashSet<>();
        Set<String> patients = new LinkedHashSet<>();
        for (AuditEvent.AuditEventAgentComponent agent : event.getAgent()) {
            reference(agent.getWho(), agents, patients);
            if (agent.hasAltId()) {
                agents.add(agent.getAltId());
            }
            if (agent.hasName()) {
                names.add(agent.getName().toLowerCase(Locale.ROOT));
            }
        }
        Set<String> entities = new LinkedHashSet<>();
        String controlId = null;
        for (AuditEvent.AuditEventEntityComponent entity : event.getEntity()) {
            reference(entity.getWhat(), entities, patients);
            for (AuditEvent.AuditEventEntityDetailComponent detail : entity.getDetail()) {
                if (RestAuditEvents.CONTROL_ID_DETAIL.equals(detail.getType()) && detail.getValue() != null) {
                    controlId = detail.getValue().primitiveValue();
                }
            }
        }
        Set<String> source = new LinkedHashSet<>();
        reference(event.getSource().getObserver(), source, new LinkedHashSet<>());
        return new AuditEventColumns(event.getRecorded().toInstant(), event.hasType() ? PostgresText.storable(token(event.getType())) : null,
                texts(subtypes), event.hasAction() ? event.getAction().toCode() : null,
                event.hasOutcome() ? event.getOutcome().toCode() : null, texts(agents), texts(names),
                texts(entities), texts(patients), source.stream().findFirst().map(PostgresText::storable).orElse(null),
                PostgresText.storable(controlId));
    }

    private static List<String> texts(java.util.Collection<String> values) {
        return values.stream().map(PostgresText::storable).toList();
    }

    /** {@code system|code}, as token search parameters match it. */
    public static String token(Coding coding) {
        return (coding.hasSystem() ? coding.getSystem() : "") + "|" + (coding.hasCode() ? coding.getCode() : "");
    }

    private static void reference(Reference reference, Set<String> into, Set<String> patients) {
        if (reference == null) {
            return;
        }
        if (reference.hasReference()) {
            IdType id = new IdType(reference.getReference());
            if (id.hasResourceType() && id.hasIdPart()) {
                String unversioned = id.getResourceType() + "/" + id.getIdPart();
                into.add(unversioned);
                if ("Patient".equals(id.getResourceType())) {
                    patients.add(unversioned);
                }
            }
        }
        if (reference.hasIdentifier()) {
            Identifier identifier = reference.getIdentifier();
            into.add((identifier.hasSystem() ? identifier.getSystem() : "") + "|" + (identifier.hasValue() ? identifier.getValue() : ""));
        }
    }
}

package org.newbornregistry.fhir.audit;

import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.Specimen;
import org.newbornregistry.adapter.audit.IndexAuditEvents;
import org.newbornregistry.adapter.index.StrGenotypes;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A newborn's trail in words, for the console and the trail API: each record version and audit
 * event as an entry saying what it is, what was done, by whom and why — never a record's content,
 * a genotype value or an identifier a search used. {@link NewbornTrail} finds what to word.
 */
final class TrailWording {

    private TrailWording() {
    }

    /**
     * Who wrote each record version ({@code Type/id/_history/n}): the requestor of the audit event
     * that recorded the write — an HL7 message's sender or a FHIR client — in the write's transaction.
     */
    static Map<String, String> writers(Iterable<Resource> resources) {
        Map<String, String> writers = new HashMap<>();
        for (Resource resource : resources) {
            // Why not by action: a FHIR transaction's event is an E (execute) and names everything it wrote.
            if (resource instanceof AuditEvent event && event.getAction() != AuditEvent.AuditEventAction.R) {
                String who = requestor(event).map(agent -> agent.getWho().getDisplay()).orElse(null);
                for (AuditEvent.AuditEventEntityComponent entity : event.getEntity()) {
                    String reference = entity.getWhat().getReference();
                    if (who != null && reference != null && reference.contains("/_history/")) {
                        writers.putIfAbsent(reference, who);
                    }
                }
            }
        }
        return writers;
    }

    private static Optional<AuditEvent.AuditEventAgentComponent> requestor(AuditEvent event) {
        return event.getAgent().stream().filter(AuditEvent.AuditEventAgentComponent::getRequestor).findFirst();
    }

    /** A record version as a trail entry: what it is and what was done to it, in words; never its content. */
    static NewbornTrail.Entry record(NewbornTrail.Row row, Resource resource, Map<String, String> writers) {
        String verb = switch (row.method()) {
            case "POST" -> "created";
            case "DELETE" -> "deleted";
            default -> row.version() == 1 ? "created" : "updated";
        };
        String title = what(row.type(), resource) + " " + verb;
        String detail = resource == null ? "version " + row.version() : "version " + row.version() + state(resource);
        String kind = row.type().equals("Consent") ? "consent" : "record";
        String version = row.type() + "/" + row.id() + "/_history/" + row.version();
        return new NewbornTrail.Entry(row.at(), kind, title, detail, "success", writers.get(version), null, null, version);
    }

    /** A record's kind in words: its type, and for results the kind of result (never its value). */
    private static String what(String type, Resource resource) {
        if (resource instanceof Observation observation) {
            return StrGenotypes.mayCarryAlleles(observation) ? "STR genotype" : "Observation " + display(observation.getCode());
        }
        if (resource instanceof Specimen specimen && specimen.hasType()) {
            return "Specimen " + display(specimen.getType());
        }
        return switch (type) {
            case "Patient" -> "Newborn record";
            case "RelatedPerson" -> "Parent record";
            case "Encounter" -> "Birth encounter";
            case "ServiceRequest" -> "Screening order";
            case "DiagnosticReport" -> "Screening report";
            default -> type;
        };
    }

    /** The record's status and, for a consent, what it covers. */
    private static String state(Resource resource) {
        if (resource instanceof Consent consent) {
            List<String> purposes = ConsentLog.purposes(consent);
            return "; status " + (consent.hasStatus() ? consent.getStatus().toCode() : "unknown")
                    + (purposes.isEmpty() ? "" : "; purposes " + String.join(", ", purposes));
        }
        if (resource instanceof Observation observation && observation.hasStatus()) {
            return "; status " + observation.getStatus().toCode();
        }
        if (resource instanceof Specimen specimen && specimen.hasStatus()) {
            return "; status " + specimen.getStatus().toCode();
        }
        return "";
    }

    /** An audit event as a trail entry: who did what, how it ended, and why. */
    static NewbornTrail.Entry event(NewbornTrail.Row row, AuditEvent event) {
        Instant at = event.hasRecorded() ? event.getRecorded().toInstant() : row.at();
        String registryCode = event.getSubtype().stream().filter(c -> IndexAuditEvents.EVENT_SYSTEM.equals(c.getSystem()))
                .map(Coding::getCode).findFirst().orElse(null);
        String kind;
        String title;
        if ("hl7-message".equals(registryCode)) {
            kind = "message";
            title = "HL7 message received";
        } else if (registryCode != null) {
            kind = switch (registryCode) {
                case "consent-decision" -> "consent";
                case "genotype-erasure" -> "erasure";
                case "reidentification" -> "reidentification";
                case "newborn-trail" -> "access";
                default -> registryCode.startsWith("index-") ? "index" : "security";
            };
            title = event.getSubtype().stream().filter(c -> IndexAuditEvents.EVENT_SYSTEM.equals(c.getSystem()))
                    .map(Coding::getDisplay).filter(Objects::nonNull).findFirst().orElse(registryCode);
        } else {
            String interaction = event.getSubtype().stream().map(Coding::getCode).filter(Objects::nonNull).findFirst().orElse("event");
            boolean change = event.getAction() == AuditEvent.AuditEventAction.C || event.getAction() == AuditEvent.AuditEventAction.U
                    || event.getAction() == AuditEvent.AuditEventAction.D;
            kind = change ? "record" : "access";
            title = ("FHIR " + interaction + " " + entityTypes(event)).strip();
        }
        AuditEvent.AuditEventAgentComponent requestor = requestor(event).orElse(null);
        String who = requestor == null ? null : requestor.getWho().getDisplay();
        String address = requestor == null || !requestor.hasNetwork() ? null : requestor.getNetwork().getAddress();
        return new NewbornTrail.Entry(at, kind, title, event.getOutcomeDesc(), outcome(event), who, address, why(event),
                "AuditEvent/" + row.id());
    }

    /**
     * The types of the records an interaction touched, e.g. "Observation, Specimen"; for a search the
     * type searched (from the query, whose parameters stay out: they may hold identifiers).
     */
    private static String entityTypes(AuditEvent event) {
        for (AuditEvent.AuditEventEntityComponent entity : event.getEntity()) {
            if (entity.hasQuery()) {
                String query = new String(entity.getQuery(), StandardCharsets.UTF_8);
                int end = query.indexOf('?');
                return end < 0 ? query : query.substring(0, end);
            }
        }
        return event.getEntity().stream().map(e -> e.getWhat().getReferenceElement().getResourceType())
                .filter(Objects::nonNull).distinct().collect(Collectors.joining(", "));
    }

    private static String outcome(AuditEvent event) {
        if (!event.hasOutcome()) {
            return "unknown";
        }
        return switch (event.getOutcome()) {
            case _0 -> "success";
            case _4 -> "minor failure";
            case _8 -> "serious failure";
            case _12 -> "major failure";
            default -> "unknown";
        };
    }

    /** The purposes of use and, for a re-identification, the investigation's case reference. */
    private static String why(AuditEvent event) {
        List<String> reasons = new ArrayList<>();
        for (CodeableConcept purpose : event.getPurposeOfEvent()) {
            purpose.getCoding().stream().map(c -> c.hasDisplay() ? c.getDisplay() : c.getCode()).filter(Objects::nonNull)
                    .forEach(reasons::add);
        }
        for (AuditEvent.AuditEventEntityComponent entity : event.getEntity()) {
            Identifier identifier = entity.getWhat().getIdentifier();
            if (IndexAuditEvents.CASE_SYSTEM.equals(identifier.getSystem()) && identifier.hasValue()) {
                reasons.add("case " + identifier.getValue());
            }
        }
        return reasons.isEmpty() ? null : String.join("; ", reasons);
    }

    private static String display(CodeableConcept concept) {
        if (concept.hasText()) {
            return concept.getText();
        }
        return concept.getCoding().stream().map(c -> c.hasDisplay() ? c.getDisplay() : c.getCode()).filter(Objects::nonNull)
                .findFirst().orElse("");
    }
}

package org.newbornregistry.adapter.mapping;

import ca.uhn.hl7v2.model.v26.datatype.HD;
import ca.uhn.hl7v2.model.v26.datatype.XCN;
import ca.uhn.hl7v2.model.v26.datatype.XON;
import ca.uhn.hl7v2.model.v26.segment.OBR;
import ca.uhn.hl7v2.model.v26.segment.ORC;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.Reference;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The practitioners (XCN) and organisations (XON) a message names, as shared records: one
 * Practitioner or Organization per identifier, created if absent and never overwritten by a
 * message that merely mentions it, and one entry per identifier within a message however often
 * it is named. A party sent without an identifier cannot be told apart from another of the
 * same name, so it becomes a reference by display name only, not a record.
 */
final class Participants {

    static final String NPI = "http://hl7.org/fhir/sid/us-npi";

    private final TransactionBuilder transaction;
    private final MappingContext context;
    private final Map<String, String> byIdentifier = new HashMap<>();

    Participants(TransactionBuilder transaction, MappingContext context) {
        this.transaction = transaction;
        this.context = context;
    }

    /** The orderer of an order: ORC-12's first practitioner, else OBR-16's; null when neither names one. */
    @MapsFrom(v2 = "ORC-12", fhir = "ServiceRequest.requester", note = "first repetition, else OBR-16; a Practitioner per identifier (NPI by its well-known system), created if absent")
    Reference orderer(ORC orc, OBR obr) {
        Reference practitioner = orc != null && orc.getOrderingProviderReps() > 0 ? practitioner(orc.getOrderingProvider(0)) : null;
        if (practitioner == null && obr.getOrderingProviderReps() > 0) {
            practitioner = practitioner(obr.getOrderingProvider(0));
        }
        return practitioner;
    }

    /** A reference to the practitioner an XCN names, or null when it names no one. */
    Reference practitioner(XCN xcn) {
        String id = V2Values.text(xcn.getIDNumber());
        HumanName name = name(xcn);
        if (id == null) {
            return name == null ? null : new Reference().setDisplay(name.getNameAsSingleString());
        }
        Identifier identifier = new Identifier().setValue(id)
                .setSystem(system(xcn.getAssigningAuthority(), V2Values.text(xcn.getIdentifierTypeCode())));
        String ref = byIdentifier.computeIfAbsent("Practitioner|" + identifier.getSystem() + "|" + id, k -> {
            Practitioner practitioner = new Practitioner().addIdentifier(identifier);
            if (name != null) {
                practitioner.addName(name);
            }
            return transaction.createIfAbsent(practitioner, Conditions.identifier(identifier));
        });
        Reference reference = new Reference(ref);
        return name == null ? reference : reference.setDisplay(name.getNameAsSingleString());
    }

    /** A reference to the organisation an XON names, or null when it names none. */
    Reference organization(XON xon) {
        String name = V2Values.text(xon.getOrganizationName());
        String id = V2Values.text(xon.getOrganizationIdentifier());
        if (id == null) {
            id = V2Values.text(xon.getIDNumber());
        }
        if (id == null) {
            return name == null ? null : new Reference().setDisplay(name);
        }
        Identifier identifier = new Identifier().setValue(id)
                .setSystem(system(xon.getAssigningAuthority(), V2Values.text(xon.getIdentifierTypeCode())));
        String ref = byIdentifier.computeIfAbsent("Organization|" + identifier.getSystem() + "|" + id, k -> {
            Organization organization = new Organization().addIdentifier(identifier).setName(name);
            return transaction.createIfAbsent(organization, Conditions.identifier(identifier));
        });
        Reference reference = new Reference(ref);
        return name == null ? reference : reference.setDisplay(name);
    }

    /** NPIs by their well-known system, whichever way the sender spelled the authority; others as any identifier. */
    private String system(HD authority, String type) {
        String namespace = V2Values.text(authority.getNamespaceID());
        if ("NPI".equalsIgnoreCase(type) || (namespace != null && namespace.toUpperCase(Locale.ROOT).equals("NPI"))
                || "2.16.840.1.113883.4.6".equals(V2Values.text(authority.getUniversalID()))) {
            return NPI;
        }
        return context.identifierSystem(authority, type);
    }

    private static HumanName name(XCN xcn) {
        String family = V2Values.text(xcn.getFamilyName().getSurname());
        String given = V2Values.text(xcn.getGivenName());
        if (family == null && given == null) {
            return null;
        }
        HumanName name = new HumanName().setFamily(family);
        if (given != null) {
            name.addGiven(given);
        }
        String prefix = V2Values.text(xcn.getPrefixEgDR());
        if (prefix != null) {
            name.addPrefix(prefix);
        }
        return name;
    }
}

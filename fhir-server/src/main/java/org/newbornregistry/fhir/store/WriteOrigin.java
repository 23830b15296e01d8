package org.newbornregistry.fhir.store;

/**
 * Who a write comes from, as far as the store must know: the server base its absolute
 * references to itself start with, the organisation that becomes custodian of what it creates,
 * and the organisation whose records alone it may match and change.
 *
 * @param serverBase   this server's FHIR base URL, whose absolute references count as local; null outside HTTP
 * @param custodian    the organisation recorded as custodian of resources this write creates; null for none
 * @param restrictedTo the organisation whose resources alone this write may see and change; null for any
 * @param audit        records the audit event of each transaction of the write, in that transaction; null when the
 *                     caller records its own (an HL7 message's import event) or the write is the registry's own
 */
public record WriteOrigin(String serverBase, String custodian, String restrictedTo, WriteAudit audit) {

    private static final WriteOrigin INTERNAL = new WriteOrigin(null, null, null, null);

    /**
     * A FHIR request. A token naming an organisation (a hospital's) makes it custodian of what the
     * request creates and confines the request to that organisation's records; a token naming
     * none (a lab's, an administrator's) creates without custodian and is confined by its scopes alone.
     *
     * @param organisation the token's {@code organization} claim, or null
     */
    public static WriteOrigin request(String serverBase, String organisation) {
        return new WriteOrigin(serverBase, organisation, organisation, null);
    }

    /** This origin, its writes recorded by {@code audit}. */
    public WriteOrigin audited(WriteAudit audit) {
        return new WriteOrigin(serverBase, custodian, restrictedTo, audit);
    }

    /**
     * An HL7 v2 message from a lab (a result): its sending organisation becomes custodian of what
     * it creates that no hospital's identifier names; it is not confined to that organisation's
     * records, because a lab's result must find the hospital's newborn. The connection's right to
     * speak for the sender was checked before (mutual TLS, sender table).
     */
    public static WriteOrigin labMessage(String sendingOrganisation) {
        return new WriteOrigin(null, sendingOrganisation, null, null);
    }

    /**
     * An HL7 v2 message from a hospital (a birth, an update, a merge, an order): confined to the
     * sending organisation's records as a hospital's FHIR token is, so that it never updates, or
     * learns of, another hospital's newborn; its identifiers must be its own.
     */
    public static WriteOrigin hospitalMessage(String sendingOrganisation) {
        return new WriteOrigin(null, sendingOrganisation, sendingOrganisation, null);
    }

    /** The registry's own writes (audit records, forwarding state, erasure): no custodian, no confinement. */
    public static WriteOrigin internal() {
        return INTERNAL;
    }
}

package org.newbornregistry.adapter.mapping;

import ca.uhn.hl7v2.model.v26.datatype.HD;
import org.newbornregistry.adapter.hl7.Hl7Location;
import org.newbornregistry.adapter.hl7.Hl7Problem;
import org.newbornregistry.adapter.hl7.MessageHeader;
import org.hl7.fhir.utilities.OIDUtilities;
import org.newbornregistry.conformance.NbrCanonical;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * What a mapping needs beyond the segment at hand: who sent the message (local identifiers and
 * codes are scoped to the sender), the time zone for times sent without an offset, and the
 * warnings the mapping collects for the ACK and the message store.
 */
public final class MappingContext {

    /** Base of identifier systems for assigning authorities that only have a local name. */
    public static final String LOCAL_AUTHORITY_BASE = NbrCanonical.BASE + "/sid/v2/";
    /** Base of code systems for local (non-standard) v2 coding systems. */
    public static final String LOCAL_CODE_BASE = NbrCanonical.BASE + "/CodeSystem/v2-local/";

    private final MessageHeader header;
    private final ZoneId defaultZone;
    private final List<Hl7Problem> warnings = new ArrayList<>();

    public MappingContext(MessageHeader header, ZoneId defaultZone) {
        this.header = header;
        this.defaultZone = defaultZone;
    }

    public MessageHeader header() {
        return header;
    }

    /** Zone of times sent without an offset. */
    public ZoneId defaultZone() {
        return defaultZone;
    }

    /** Records a warning (ERR severity W). */
    public void warn(Hl7Location location, String message) {
        warnings.add(Hl7Problem.warning(location, message));
    }

    public List<Hl7Problem> warnings() {
        return List.copyOf(warnings);
    }

    /**
     * The identifier system of an assigning authority. A universal id (OID, URI, UUID) names a
     * global system; a namespace alone is only unique at its sender, so it is scoped to the
     * sending facility (MSH-4): {@code .../sid/v2/<facility>/<namespace>}. This keeps two
     * hospitals' local "MRN" authorities from merging their newborns.
     *
     * @param fallbackName used when the authority is empty, e.g. the identifier type code
     */
    public String identifierSystem(HD authority, String fallbackName) {
        return identifierSystem(V2Values.text(authority.getNamespaceID()), V2Values.text(authority.getUniversalID()),
                V2Values.text(authority.getUniversalIDType()), fallbackName);
    }

    /**
     * The identifier system of an authority given by its parts, as an EI (entity identifier)
     * carries them: namespace id, universal id and universal id type, each possibly null.
     */
    public String identifierSystem(String namespace, String universal, String type, String fallbackName) {
        if (universal != null) {
            // Why: an "ISO" id that is no OID (2.16.840.1.114222.XXX in published samples, or a stub such as 1.2) would make
            // an invalid urn:oid; the official validator's own test decides.
            if (isUsableOid(universal)) {
                return "urn:oid:" + universal;
            }
            if ("UUID".equalsIgnoreCase(type)) {
                return "urn:uuid:" + universal.toLowerCase();
            }
            if ("URI".equalsIgnoreCase(type) || universal.contains(":")) {
                return universal;
            }
        }
        String name = namespace != null ? namespace : universal != null ? universal : fallbackName;
        return LOCAL_AUTHORITY_BASE + encode(senderScope()) + "/" + encode(name == null ? "id" : name);
    }

    /**
     * Whether {@code urn:oid:} and this id make a system the official validator takes: a
     * well-formed OID that is not a stub of two or three short arcs ({@code 1.2}), as its
     * InstanceValidator rules (those under 1.3 excepted).
     */
    static boolean isUsableOid(String oid) {
        return OIDUtilities.isValidOID(oid) && (oid.lastIndexOf('.') >= 4 || oid.startsWith("1.3"));
    }

    /** The code system of the sender's own (non-standard) coding system of this name, scoped to the sender as identifier systems are. */
    String localCodeSystem(String name) {
        return LOCAL_CODE_BASE + encode(senderScope()) + "/" + encode(name);
    }

    /** Whether a system is one this class scoped to the sender because its authority had only a local name. */
    public static boolean isSenderScoped(String system) {
        return system != null && system.startsWith(LOCAL_AUTHORITY_BASE);
    }

    /** The sender a local name belongs to: MSH-4's universal id if it has one, else its namespace. */
    String senderScope() {
        return header.sendingOrganisation();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}

package org.newbornregistry.routes.mllp;

import org.newbornregistry.adapter.hl7.Hl7Location;
import org.newbornregistry.adapter.hl7.MessageHeader;
import org.newbornregistry.routes.config.MllpProperties;

import javax.security.auth.x500.X500Principal;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The binding table of the MLLP listener under mutual TLS ({@code nbr.mllp.tls.clients}): which
 * senders (MSH-4 sending facility, MSH-3 sending application) each client certificate may send
 * for. Pure: a certificate and a header in, a decision out.
 *
 * <p>A certificate is named by its SHA-256 fingerprint, its subject DN, or both. The fingerprint
 * pins one certificate: nothing else the CA issues can use the entry, but a renewed certificate
 * needs a new entry. The subject survives renewal but trusts the CA never to issue that subject to
 * anyone else, which holds for a registry's own CA and not for a public one. Both together pin the
 * certificate and document whose it is.
 *
 * <p>MSH-4 and MSH-3 are HDs: a namespace id (first component) and a universal id (second, e.g.
 * an OID), two names of one sender. A field is allowed when each name it carries is an allowed
 * value, or when the field as sent is one: {@code GENERAL HOSPITAL^2.16.840.1.113883.19.5^ISO}
 * needs both {@code GENERAL HOSPITAL} and {@code 2.16.840.1.113883.19.5} (or the whole field)
 * in the entry. Why not either name: the mapping scopes a sender's local identifiers by MSH-4's
 * universal id, so a lab allowed {@code COUNTY LAB} must not pass with the hospital's OID beside
 * it. Values compare exactly, as HL7 identifiers do. A certificate that no entry names may send
 * nothing.
 */
public final class MllpClientBindings {

    private final List<Binding> bindings;

    private MllpClientBindings(List<Binding> bindings) {
        this.bindings = List.copyOf(bindings);
    }

    /**
     * The table from configuration.
     *
     * @throws IllegalArgumentException naming the entry ({@code nbr.mllp.tls.clients[2]}) that names
     *                                  no certificate, has a malformed fingerprint or subject, or a blank value
     */
    public static MllpClientBindings of(List<MllpProperties.Client> clients) {
        List<Binding> bindings = new ArrayList<>();
        for (int i = 0; i < clients.size(); i++) {
            bindings.add(Binding.of("nbr.mllp.tls.clients[" + i + "]", clients.get(i)));
        }
        return new MllpClientBindings(bindings);
    }

    /**
     * Why a connection may not send a message.
     *
     * @param field  MSH-4 or MSH-3, the field naming the sender the certificate is not bound to;
     *               null when the certificate is bound to no sender at all
     * @param reason what is wrong, naming fields, never their values
     */
    public record Refusal(Hl7Location field, String reason) {
    }

    /** Empty when the certificate may send a message with this header; otherwise why not. */
    public Optional<Refusal> check(ClientCertificate certificate, MessageHeader header) {
        List<Binding> matching = bindings.stream().filter(b -> b.names(certificate)).toList();
        if (matching.isEmpty()) {
            return Optional.of(new Refusal(null, "the client certificate of this connection is bound to no sender"));
        }
        char separator = header.componentSeparator();
        List<Binding> forFacility = matching.stream()
                .filter(b -> allows(b.facilities(), header.sendingFacility(), separator)).toList();
        if (forFacility.isEmpty()) {
            return Optional.of(new Refusal(Hl7Location.field("MSH", 4),
                    "MSH-4 names a sending facility the client certificate of this connection is not bound to"));
        }
        if (forFacility.stream().noneMatch(b -> allows(b.applications(), header.sendingApplication(), separator))) {
            return Optional.of(new Refusal(Hl7Location.field("MSH", 3),
                    "MSH-3 names a sending application the client certificate of this connection is not bound to"));
        }
        return Optional.empty();
    }

    /** How many entries the table has. */
    public int size() {
        return bindings.size();
    }

    /** One line per entry, for the startup log: certificate, facilities, applications (no secrets in it). */
    public List<String> describe() {
        return bindings.stream().map(Binding::describe).toList();
    }

    private static boolean allows(Set<String> allowed, String field, char separator) {
        if (allowed.isEmpty() || allowed.contains(field)) {
            return true;
        }
        String[] components = field.split(Pattern.quote(String.valueOf(separator)), -1);
        String namespace = components[0];
        String universal = components.length > 1 ? components[1] : "";
        if (namespace.isEmpty() && universal.isEmpty()) {
            return false;
        }
        return (namespace.isEmpty() || allowed.contains(namespace)) && (universal.isEmpty() || allowed.contains(universal));
    }

    /** One configured entry, validated. */
    private record Binding(String fingerprint, X500Principal subject, Set<String> facilities, Set<String> applications) {

        static Binding of(String name, MllpProperties.Client client) {
            boolean hasFingerprint = client.fingerprint() != null && !client.fingerprint().isBlank();
            boolean hasSubject = client.subject() != null && !client.subject().isBlank();
            if (!hasFingerprint && !hasSubject) {
                throw new IllegalArgumentException(name + " names no certificate: set its fingerprint, its subject or both");
            }
            String fingerprint = null;
            if (hasFingerprint) {
                try {
                    fingerprint = ClientCertificate.normaliseFingerprint(client.fingerprint());
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(name + ".fingerprint: " + e.getMessage(), e);
                }
            }
            X500Principal subject = null;
            if (hasSubject) {
                try {
                    subject = new X500Principal(client.subject().strip());
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(name + ".subject is not an X.500 name (RFC 2253, e.g. CN=nursery,O=General Hospital)", e);
                }
            }
            return new Binding(fingerprint, subject, values(name + ".sending-facilities", client.sendingFacilities()),
                    values(name + ".sending-applications", client.sendingApplications()));
        }

        private static Set<String> values(String name, List<String> configured) {
            Set<String> values = new LinkedHashSet<>();
            for (String value : configured) {
                if (value == null || value.isBlank()) {
                    throw new IllegalArgumentException(name + " has a blank value");
                }
                values.add(value.strip());
            }
            return Set.copyOf(values);
        }

        boolean names(ClientCertificate certificate) {
            return (fingerprint == null || fingerprint.equals(certificate.fingerprint()))
                    && (subject == null || subject.equals(certificate.subject()));
        }

        String describe() {
            return (fingerprint == null ? "" : "fingerprint " + fingerprint)
                    + (fingerprint != null && subject != null ? ", " : "")
                    + (subject == null ? "" : "subject " + subject.getName(X500Principal.RFC2253))
                    + " -> facilities " + (facilities.isEmpty() ? "any" : String.join(", ", new TreeSet<>(facilities)))
                    + ", applications " + (applications.isEmpty() ? "any" : String.join(", ", new TreeSet<>(applications)));
        }
    }
}

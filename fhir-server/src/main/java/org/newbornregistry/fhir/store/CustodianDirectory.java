package org.newbornregistry.fhir.store;

import org.newbornregistry.adapter.mapping.MappingContext;
import org.springframework.jdbc.core.JdbcTemplate;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The organisations that hold custody of records, and which identifier systems each one assigns:
 * an organisation is known once it holds a record (or is configured,
 * {@code nbr.security.organizations}), and assigns the identifiers whose system is
 * {@code urn:oid:} its id, an OID under its id (when its id is a full OID of five arcs or more, so
 * that a stub such as {@code 1.2} claims nothing beyond itself), or a namespace its HL7 messages
 * scoped to it ({@code .../sid/v2/<its id>/...}).
 *
 * <p>Why: a hospital registering another hospital's newborn under that hospital's own record
 * number would take the newborn into its custody when the other's birth message arrived.
 */
public class CustodianDirectory {

    private static final int ARCS_OF_AN_OWNING_OID = 5;

    private final Set<String> organisations = ConcurrentHashMap.newKeySet();
    private final JdbcTemplate jdbc;
    private volatile boolean loaded;

    /** Knows the configured organisations and, from the first question on, every custodian of a record in the store. */
    public CustodianDirectory(JdbcTemplate jdbc, Collection<String> configured) {
        this.jdbc = jdbc;
        organisations.addAll(configured);
    }

    private void load() {
        if (!loaded) {
            organisations.addAll(jdbc.queryForList("select distinct code from idx_token where param = '_tag' and system = ?",
                    String.class, Custodian.TAG_SYSTEM));
            loaded = true;
        }
    }

    /** Learns an organisation that has become custodian of a record. */
    void known(String organisation) {
        if (organisation != null) {
            organisations.add(organisation);
        }
    }

    /** The organisation that assigns identifiers of this system, if a known one does. */
    Optional<String> assignerOf(String system) {
        if (system == null) {
            return Optional.empty();
        }
        load();
        if (system.startsWith("urn:oid:")) {
            String oid = system.substring("urn:oid:".length());
            return organisations.stream()
                    .filter(o -> oid.equals(o) || arcs(o) >= ARCS_OF_AN_OWNING_OID && oid.startsWith(o + "."))
                    .max(Comparator.comparingInt(String::length));
        }
        if (MappingContext.isSenderScoped(system)) {
            String rest = system.substring(MappingContext.LOCAL_AUTHORITY_BASE.length());
            int slash = rest.indexOf('/');
            String scope = URLDecoder.decode(slash < 0 ? rest : rest.substring(0, slash), StandardCharsets.UTF_8);
            return organisations.contains(scope) ? Optional.of(scope) : Optional.empty();
        }
        return Optional.empty();
    }

    private static int arcs(String oid) {
        return oid.split("\\.", -1).length;
    }
}

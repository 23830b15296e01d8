package org.newbornregistry.console;

import org.newbornregistry.fhir.security.Role;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The console's menu for a signed-in user. The links shown follow the scopes of the user's token,
 * as a courtesy: a page the API would refuse is not offered. It decides nothing — a page opened
 * anyway asks the API, which refuses, and the console shows the refusal.
 */
public final class ConsoleNavigation {

    /** A menu entry: the page, its label, and the registry scopes of which its API needs one. */
    public record Item(String path, String label, Set<String> scopes) {

        Item(String path, String label, String... scopes) {
            this(path, label, Set.of(scopes));
        }

        boolean openTo(Set<String> granted) {
            return scopes.stream().anyMatch(granted::contains);
        }
    }

    static final List<Item> ITEMS = List.of(
            new Item("/console/overview", "Overview", Role.AUDIT_SCOPE),
            new Item("/console/consents", "Consent log", Role.AUDIT_SCOPE),
            new Item("/console/trail", "Newborn trail", Role.AUDIT_SCOPE, Role.REIDENTIFY_SCOPE),
            new Item("/console/audit", "Audit integrity", Role.AUDIT_SCOPE),
            new Item("/console/messages", "Message store", Role.ADMIN_SCOPE),
            new Item("/console/outbox", "Index outbox", Role.ADMIN_SCOPE));

    private ConsoleNavigation() {
    }

    /** The entries whose scope the user's token carries. */
    public static List<Item> itemsFor(Authentication user) {
        Set<String> scopes = scopes(user);
        return ITEMS.stream().filter(item -> item.openTo(scopes)).toList();
    }

    /** Where a role lands after signing in: its first page, or the overview (which then shows the refusal). */
    static String landing(Role role) {
        Set<String> scopes = Set.of(role.scope().split(" "));
        return ITEMS.stream().filter(item -> item.openTo(scopes)).map(Item::path).findFirst().orElse("/console/overview");
    }

    /** Whether the user's token carries {@code scope}: which of a page's forms to offer, as the menu does. */
    static boolean holds(Authentication user, String scope) {
        return scopes(user).contains(scope);
    }

    private static Set<String> scopes(Authentication user) {
        if (user == null) {
            return Set.of();
        }
        return user.getAuthorities().stream().map(GrantedAuthority::getAuthority)
                .filter(a -> a.startsWith("SCOPE_")).map(a -> a.substring("SCOPE_".length())).collect(Collectors.toSet());
    }
}

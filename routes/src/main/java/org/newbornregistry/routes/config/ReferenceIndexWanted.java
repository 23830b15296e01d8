package org.newbornregistry.routes.config;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

import java.net.URI;
import java.util.Set;

/**
 * The reference index peer runs unless it is switched off ({@code nbr.index.reference.enabled=false})
 * or a real index is configured: an {@code nbr.index.url} on another host than this one's loopback.
 */
class ReferenceIndexWanted extends SpringBootCondition {

    private static final Set<String> LOOPBACK = Set.of("127.0.0.1", "localhost", "[::1]", "::1");

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        if (!Boolean.parseBoolean(context.getEnvironment().getProperty("nbr.index.reference.enabled", "true"))) {
            return ConditionOutcome.noMatch("nbr.index.reference.enabled is false");
        }
        String url = context.getEnvironment().getProperty("nbr.index.url");
        if (url != null && !url.isBlank()) {
            String host = URI.create(url.strip()).getHost();
            if (host == null || !LOOPBACK.contains(host)) {
                return ConditionOutcome.noMatch("a real national index is configured (nbr.index.url)");
            }
        }
        return ConditionOutcome.match("the national index is the reference peer");
    }
}

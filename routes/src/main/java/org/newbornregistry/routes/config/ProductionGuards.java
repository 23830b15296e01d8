package org.newbornregistry.routes.config;

import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.annotation.Profile;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.List;

/**
 * With the {@code production} profile, refuses to start the adapter in a configuration that is
 * fit for development only, naming every such setting at once. It runs before any other bean is
 * created (a bean factory post-processor), so nothing listens, connects or writes first.
 *
 * <p>Each guard is one method that returns what is wrong, or null; add new ones to {@link #violations}.
 */
@Component
@Profile(ProductionGuards.PROFILE)
public class ProductionGuards implements BeanFactoryPostProcessor, EnvironmentAware {

    /** The profile a production deployment runs with. */
    public static final String PROFILE = "production";

    private Binder binder;

    @Override
    public void setEnvironment(Environment environment) {
        this.binder = Binder.get(environment);
    }

    @Override
    public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
        List<String> violations = violations();
        if (!violations.isEmpty()) {
            throw new IllegalStateException("Refusing to start with the '" + PROFILE + "' profile: "
                    + String.join("; ", violations));
        }
    }

    /** What the configuration gets wrong for production; empty when nothing. */
    List<String> violations() {
        List<String> violations = new ArrayList<>();
        add(violations, mllpInPlainText());
        add(violations, developmentTokenIssuer());
        return violations;
    }

    /** HL7 v2 carries patient data: the listener must authenticate its senders and encrypt. */
    private String mllpInPlainText() {
        boolean listening = binder.bind("nbr.mllp.enabled", Boolean.class).orElse(true);
        boolean tls = binder.bind("nbr.mllp.tls.enabled", Boolean.class).orElse(false);
        return listening && !tls
                ? "nbr.mllp.tls.enabled is false, so the MLLP listener would take HL7 v2 in plain text from anyone who can"
                + " reach it; configure mutual TLS (nbr.mllp.tls.*) or switch the listener off (nbr.mllp.enabled=false)"
                : null;
    }

    /** The development issuer's key sits on the adapter's disk: anyone who can read it can mint any role. */
    private String developmentTokenIssuer() {
        boolean issuer = binder.bind("spring.security.oauth2.resourceserver.jwt.issuer-uri", String.class)
                .map(value -> !value.isBlank()).orElse(false);
        boolean jwkSet = binder.bind("spring.security.oauth2.resourceserver.jwt.jwk-set-uri", String.class)
                .map(value -> !value.isBlank()).orElse(false);
        return issuer || jwkSet ? null
                : "no token issuer is configured, so bearer tokens would be validated with the development issuer's key;"
                + " set spring.security.oauth2.resourceserver.jwt.issuer-uri or ...jwt.jwk-set-uri";
    }

    private static void add(List<String> violations, String violation) {
        if (violation != null) {
            violations.add(violation);
        }
    }
}

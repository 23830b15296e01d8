package org.newbornregistry;

import org.newbornregistry.cli.NbrCli;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The Newborn Registry Adapter: the FHIR R4 registry at {@code /fhir}, with an embedded
 * PostgreSQL unless {@code spring.datasource.url} points elsewhere, and the Camel context that
 * the HL7 v2 and national-index routes run in.
 */
@SpringBootApplication
public class NbrApplication {

    /**
     * Starts the adapter, unless the first argument names a command of {@link NbrCli} ({@code send},
     * {@code import}, {@code replay}, {@code verify-audit}, {@code token}) or is {@code --help} or
     * {@code --version}: then it runs that, without Spring, and exits with the command's exit code.
     */
    public static void main(String[] args) {
        if (NbrCli.isCommand(args)) {
            System.exit(NbrCli.commandLine().execute(args));
        }
        SpringApplication.run(NbrApplication.class, args);
    }
}

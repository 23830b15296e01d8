package org.newbornregistry;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The Newborn Registry Adapter: the FHIR R4 registry at {@code /fhir}, with an embedded
 * PostgreSQL unless {@code spring.datasource.url} points elsewhere, and the Camel context that
 * the HL7 v2 and national-index routes run in.
 */
@SpringBootApplication
public class NbrApplication {

    public static void main(String[] args) {
        SpringApplication.run(NbrApplication.class, args);
    }
}

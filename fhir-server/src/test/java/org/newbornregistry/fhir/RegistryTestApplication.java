package org.newbornregistry.fhir;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The smallest application around the registry's auto-configuration, for this module's tests. */
@SpringBootApplication
public class RegistryTestApplication {
}

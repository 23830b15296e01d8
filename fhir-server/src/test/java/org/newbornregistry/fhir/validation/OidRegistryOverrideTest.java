package org.newbornregistry.fhir.validation;

import org.hl7.fhir.utilities.OIDUtilities;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The validator core reads {@code oidregistry.csv} in every InstanceValidator it builds, that is
 * on every validation; the registry's header-only copy must be the one it finds (see
 * {@link RegistryValidator}), or each validation parses 1.5 MB again.
 */
class OidRegistryOverrideTest {

    @Test
    void shouldGiveTheValidatorCoreTheHeaderOnlyOidRegistry() throws IOException {
        // when
        String found;
        try (InputStream in = OIDUtilities.class.getClassLoader().getResourceAsStream("oidregistry.csv")) {
            assertThat(in).isNotNull();
            found = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }

        // then
        assertThat(found.strip()).isEqualTo("Comp_OID,Oid_Type,Symbolic_name,CodingSystemName");
        assertThat(new OIDUtilities().isKnownOID("2.16.840.1.113883.6.1")).isFalse();
    }
}

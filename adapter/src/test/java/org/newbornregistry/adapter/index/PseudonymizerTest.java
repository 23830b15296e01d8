package org.newbornregistry.adapter.index;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PseudonymizerTest {

    private static final byte[] KEY = "a 32-byte test key, never in use".getBytes(StandardCharsets.US_ASCII);

    @Test
    void shouldEncodeHmacSha256AsTheRfcVectorsSay() {
        // given: RFC 4231 test case 6 (a 131-byte key) and RFC 4648's base32 vector
        byte[] key = new byte[131];
        Arrays.fill(key, (byte) 0xaa);

        // when
        String pseudonym = new Pseudonymizer(key).pseudonym("Test Using Larger Than Block-Size Key - Hash Key First");

        // then: the first 120 bits of 60e431591ee0b67f0d8a26aacbf5b77f...
        assertThat(pseudonym).isEqualTo("MDSDCWI64C3H6DMKE2VMX5NX");
        assertThat(Pseudonymizer.base32("fooba".getBytes(StandardCharsets.US_ASCII), 8)).isEqualTo("MZXW6YTB");
    }

    @Test
    void shouldGiveEachNewbornOneStableCmfSpecimenId() {
        // given
        Pseudonymizer pseudonyms = new Pseudonymizer(KEY);
        Set<String> seen = new HashSet<>();

        // when
        for (int i = 0; i < 10_000; i++) {
            String identity = UUID.randomUUID().toString();
            String pseudonym = pseudonyms.pseudonym(identity);

            // then
            assertThat(pseudonym).hasSize(Pseudonymizer.LENGTH).matches("[A-Z2-7]+").isEqualTo(pseudonyms.pseudonym(identity));
            assertThat(seen.add(pseudonym)).isTrue();
        }
    }

    @Test
    void shouldDependOnTheKeyAndRefuseAShortOne() {
        byte[] otherKey = "another 32-byte key, not in use!".getBytes(StandardCharsets.US_ASCII);
        assertThat(new Pseudonymizer(KEY).pseudonym("patient-1")).isNotEqualTo(new Pseudonymizer(otherKey).pseudonym("patient-1"));
        assertThatThrownBy(() -> new Pseudonymizer(new byte[16])).hasMessageContaining("at least 32 bytes");
    }
}

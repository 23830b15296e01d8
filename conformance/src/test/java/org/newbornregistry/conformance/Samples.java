package org.newbornregistry.conformance;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The project's own sample messages in {@code conformance/src/main/resources/samples}. */
public final class Samples {

    private Samples() {
    }

    /** The bytes of {@code samples/v2/<name>}. */
    public static byte[] v2(String name) {
        try (InputStream in = Samples.class.getResourceAsStream("/samples/v2/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no sample " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

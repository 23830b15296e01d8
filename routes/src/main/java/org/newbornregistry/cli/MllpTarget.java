package org.newbornregistry.cli;

import picocli.CommandLine;
import picocli.CommandLine.Option;

/** The option of the commands that speak MLLP: where the adapter's MLLP listener is. */
public final class MllpTarget {

    /** The listener's port unless {@code --to} names another. */
    public static final int DEFAULT_PORT = 2575;

    // Why the negative order: picocli lists options (and, with sortSynopsis off, the synopsis) by order, -1 when unset;
    // the options every MLLP command shares come first.
    @Option(names = "--to", paramLabel = "HOST[:PORT]", defaultValue = "localhost:" + DEFAULT_PORT, converter = Address.Parser.class,
            order = -4, description = {"the adapter's MLLP listener, plain TCP; PORT " + DEFAULT_PORT + " when left out",
                    "default: ${DEFAULT-VALUE}"})
    Address to;

    /** The listener's host name or address. */
    public String host() {
        return to.host();
    }

    /** The listener's port. */
    public int port() {
        return to.port();
    }

    @Override
    public String toString() {
        return to.host() + ":" + to.port();
    }

    /** A host and a port, as {@code HOST[:PORT]} names them. */
    record Address(String host, int port) {

        /** Reads {@code HOST[:PORT]}; a port that is not a number from 1 to 65535 is a usage error. */
        static final class Parser implements CommandLine.ITypeConverter<Address> {

            @Override
            public Address convert(String value) {
                // Why the bracket: an IPv6 address ([::1]) holds colons of its own.
                int colon = value.endsWith("]") ? -1 : value.lastIndexOf(':');
                String host = colon < 0 ? value : value.substring(0, colon);
                if (host.isBlank()) {
                    throw new CommandLine.TypeConversionException("'" + value + "' names no host");
                }
                if (colon < 0) {
                    return new Address(host, DEFAULT_PORT);
                }
                try {
                    int port = Integer.parseInt(value.substring(colon + 1));
                    if (port >= 1 && port <= 65535) {
                        return new Address(host, port);
                    }
                } catch (NumberFormatException e) {
                    // reported below
                }
                throw new CommandLine.TypeConversionException("'" + value + "' has no port from 1 to 65535 after the colon");
            }
        }
    }
}

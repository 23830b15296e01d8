package org.newbornregistry.routes.mllp;

/**
 * What one sender may take of the MLLP listener: hospitals keep connections open and idle for
 * hours, so idle connections are not cut off; instead no address may hold more than its share of
 * the listener's connections, a message once started must arrive whole within a deadline, and a
 * frame may not exceed a size (the rest is not read; the message is answered AR and its first
 * bytes are kept).
 *
 * @param maxConnections           most client connections open at once
 * @param maxConnectionsPerAddress most of them from one IP address
 * @param maxFrameBytes            largest frame read whole, in bytes
 * @param messageTimeoutMillis     milliseconds from a frame's first byte to its last
 */
public record MllpLimits(int maxConnections, int maxConnectionsPerAddress, int maxFrameBytes, long messageTimeoutMillis) {

    /** camel-mllp's own: as many connections as it serves, no other limit. */
    public static final MllpLimits NONE = new MllpLimits(Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE, Long.MAX_VALUE);
}

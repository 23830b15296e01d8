package org.newbornregistry.routes.mllp;

import org.apache.camel.component.mllp.MllpEndpoint;
import org.apache.camel.component.mllp.MllpProtocolConstants;
import org.apache.camel.component.mllp.MllpSocketException;
import org.apache.camel.component.mllp.internal.MllpSocketBuffer;

import java.io.ByteArrayOutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.Arrays;

/**
 * camel-mllp 4.17.0's socket buffer, fixed for pipelining (CAMEL-24668, fixed upstream after
 * 4.17): when a sender writes several frames at once and they arrive in one read, 4.17 processes
 * the first and discards the rest as "trailing out-of-band data" (logging their content). This
 * buffer sets the frames that follow the current one aside when the current one is consumed, and
 * hands them back, without reading the socket, when the consumer asks for the next message. They
 * are kept apart from the buffer itself because camel-mllp writes each ACK through this same
 * buffer. Bytes between frames that are not a frame (a stray LF after FS CR) are dropped, as
 * MLLP says.
 */
class PipeliningMllpSocketBuffer extends MllpSocketBuffer {

    private byte[] pending;

    PipeliningMllpSocketBuffer(MllpEndpoint endpoint) {
        super(endpoint);
    }

    /** Consumes the current frame, setting aside the frames after it. */
    @Override
    public synchronized void reset() {
        byte[] following = followingFrames();
        if (following != null) {
            pending = pending == null ? following : concat(pending, following);
        }
        super.reset();
    }

    /** Frames set aside come first; the socket is read only to complete a frame or when none is left. */
    @Override
    public synchronized void readFrom(Socket socket, int receiveTimeout, int readTimeout)
            throws MllpSocketException, SocketTimeoutException {
        if (pending != null && isEmpty()) {
            byte[] next = pending;
            pending = null;
            write(next);
        }
        if (!hasCompleteEnvelope()) {
            super.readFrom(socket, receiveTimeout, readTimeout);
        }
    }

    /** Frames after the current one are not out-of-band data. */
    @Override
    public synchronized boolean hasTrailingOutOfBandData() {
        return super.hasTrailingOutOfBandData() && followingFrames() == null;
    }

    /** Whether frames are waiting to be handed out. */
    synchronized boolean hasPendingFrames() {
        return pending != null;
    }

    /** The bytes from the start of the next frame on, or null when none follows the current one. */
    private byte[] followingFrames() {
        if (!hasCompleteEnvelope()) {
            return null;
        }
        byte[] content = toByteArray();
        for (int i = getEndOfBlockIndex() + 1; i < content.length; i++) {
            if (content[i] == MllpProtocolConstants.START_OF_BLOCK) {
                return Arrays.copyOfRange(content, i, content.length);
            }
        }
        return null;
    }

    private static byte[] concat(byte[] first, byte[] second) {
        ByteArrayOutputStream both = new ByteArrayOutputStream(first.length + second.length);
        both.writeBytes(first);
        both.writeBytes(second);
        return both.toByteArray();
    }
}

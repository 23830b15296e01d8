package org.newbornregistry.routes.mllp;

import org.apache.camel.component.mllp.MllpEndpoint;
import org.apache.camel.component.mllp.MllpProtocolConstants;
import org.apache.camel.component.mllp.MllpSocketException;
import org.apache.camel.component.mllp.internal.MllpSocketBuffer;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
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
 *
 * <p>It also holds a sender to {@link MllpLimits}: a frame must be complete within the message
 * deadline from its first byte (camel-mllp's read timeout applies to each read, so a sender
 * trickling a byte a second was never cut off), and a frame over the size limit is not read on:
 * its first bytes are kept, the rest is skipped up to its end, and {@link #takeOversize()} tells
 * how long it was.
 */
class PipeliningMllpSocketBuffer extends MllpSocketBuffer {

    private static final int READ_CHUNK = 64 * 1024;

    private final MllpLimits limits;
    private byte[] pending;
    /** When the current frame's first byte was read, or 0. */
    private long frameStarted;
    /** How long the current frame is, when it is over the size limit; else 0. */
    private long oversize;
    /** Whether the rest of the current, oversized frame is being skipped up to its end. */
    private boolean skipping;
    /** How long the last frame consumed was, when it was over the limit; else 0. */
    private long consumedOversize;

    PipeliningMllpSocketBuffer(MllpEndpoint endpoint, MllpLimits limits) {
        super(endpoint);
        this.limits = limits;
    }

    /** Consumes the current frame, setting aside the frames after it. */
    @Override
    public synchronized void reset() {
        byte[] following = followingFrames();
        if (following != null) {
            pending = pending == null ? following : concat(pending, following);
        }
        consumedOversize = oversize;
        oversize = 0;
        skipping = false;
        frameStarted = 0;
        super.reset();
    }

    /** How long the frame last consumed was if it was over the size limit (its rest unread), else 0; asked once. */
    synchronized long takeOversize() {
        long oversize = consumedOversize;
        consumedOversize = 0;
        return oversize;
    }

    /**
     * Frames set aside come first; the socket is read only to complete a frame or when none is
     * left, as camel-mllp reads it (the receive timeout for the first byte, the read timeout for
     * each read after it), within the message deadline and the frame size limit.
     */
    @Override
    public synchronized void readFrom(Socket socket, int receiveTimeout, int readTimeout)
            throws MllpSocketException, SocketTimeoutException {
        if (pending != null && isEmpty()) {
            byte[] next = pending;
            pending = null;
            write(next);
        }
        if (hasCompleteEnvelope() || socket == null || !socket.isConnected() || socket.isClosed()) {
            return;
        }
        try {
            InputStream in = socket.getInputStream();
            byte[] chunk = new byte[READ_CHUNK];
            while (!hasCompleteEnvelope()) {
                socket.setSoTimeout(timeout(isEmpty() ? receiveTimeout : readTimeout));
                int read = in.read(chunk);
                if (read < 0) {
                    throw new EOFException("the peer closed the connection");
                }
                take(chunk, read);
            }
        } catch (SocketTimeoutException e) {
            throw e;
        } catch (IOException e) {
            String reason = "reading a frame failed (" + e.getClass().getSimpleName() + ")";
            resetSocket(socket, reason);
            throw new MllpSocketException(reason, e);
        }
    }

    /** The socket timeout of the next read: the configured one, shortened to what is left of the message deadline. */
    private int timeout(int configured) throws SocketTimeoutException {
        if (frameStarted == 0) {
            return configured;
        }
        long left = frameStarted + limits.messageTimeoutMillis() - System.currentTimeMillis();
        if (left <= 0) {
            throw new SocketTimeoutException("the frame was not complete within " + limits.messageTimeoutMillis() + " ms");
        }
        return (int) Math.max(1, Math.min(configured == 0 ? Integer.MAX_VALUE : configured, left));
    }

    /** Takes what was read: into the frame, or past it while the rest of an oversized frame is skipped. */
    private void take(byte[] chunk, int read) {
        if (!skipping) {
            write(chunk, 0, read);
            if (frameStarted == 0 && hasStartOfBlock()) {
                frameStarted = System.currentTimeMillis();
            }
            if (oversize == 0 && size() > limits.maxFrameBytes() && !hasCompleteEnvelope()) {
                if (!hasStartOfBlock()) {
                    // Why: bytes before any frame are no message (camel-mllp drops them too); they need not pile up.
                    super.reset();
                    return;
                }
                oversize = size();
                skipping = true;
            }
            return;
        }
        int end = -1;
        for (int i = 0; i < read && end < 0; i++) {
            if (chunk[i] == MllpProtocolConstants.END_OF_BLOCK) {
                end = i;
            }
        }
        if (end < 0) {
            oversize += read;
            return;
        }
        oversize += end;
        skipping = false;
        // Why from the end of block on: it closes the kept part into a frame, and what follows it is the next frame.
        // Why a copy: camel-mllp's write(bytes, offset, count) looks for the frame's end at the wrong indexes when offset > 0.
        write(Arrays.copyOfRange(chunk, end, read));
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

package org.newbornregistry.routes.mllp;

/**
 * Told of each MLLP frame larger than {@link MllpLimits#maxFrameBytes}, whose rest the listener
 * did not read: answers the ACK to send back, having kept what was read.
 */
@FunctionalInterface
public interface OversizeFrames {

    /**
     * @param prefix     the frame's first bytes, as many as the limit allows
     * @param frameBytes how long the frame was, in bytes
     * @param address    the address the frame came from, or null
     * @return the ACK (without MLLP framing)
     */
    byte[] refuse(byte[] prefix, long frameBytes, String address);
}

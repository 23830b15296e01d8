package org.newbornregistry.fhir.hl7;

import java.time.Instant;

/**
 * A message as the message store keeps it (without its bytes).
 *
 * @param id          store id
 * @param received    when it first arrived
 * @param status      PROCESSING, ACCEPTED (AA), REJECTED (AE), REFUSED (AR)
 * @param ackCode     the code of the ACK sent
 * @param ack         the ACK sent, returned again to a resend
 * @param contentHash SHA-256 of the decoded message without MSH-7
 */
public record StoredMessage(long id, Instant received, String status, String ackCode, String ack, byte[] contentHash) {
}

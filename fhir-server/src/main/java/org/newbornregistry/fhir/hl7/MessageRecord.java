package org.newbornregistry.fhir.hl7;

import java.time.Instant;
import java.util.List;

/**
 * A message as the message store describes it to operators: header fields, outcome, problems
 * and the resources it wrote, never its bytes (see {@link MessageStore#raw}).
 *
 * @param id                 store id
 * @param received           when it first arrived
 * @param sendingApplication MSH-3 as sent
 * @param sendingFacility    MSH-4 as sent
 * @param controlId          MSH-10
 * @param messageType        MSH-9.1
 * @param triggerEvent       MSH-9.2
 * @param version            MSH-12.1
 * @param status             PROCESSING, ACCEPTED (AA), REJECTED (AE), REFUSED (AR)
 * @param ackCode            code of the ACK sent, null while processing
 * @param problems           errors and warnings of the last processing
 * @param resources          {@code Type/id/_history/n} of what the message wrote
 * @param replayCount        how often an operator replayed it
 * @param lastProcessed      when it was last received or replayed
 * @param rawAvailable       whether its bytes are still kept (the retention period has not passed)
 * @param ack                the ACK sent, or null where not asked for (listings)
 */
public record MessageRecord(long id, Instant received, String sendingApplication, String sendingFacility,
                            String controlId, String messageType, String triggerEvent, String version, String status,
                            String ackCode, List<Problem> problems, List<String> resources, int replayCount,
                            Instant lastProcessed, boolean rawAvailable, String ack) {

    /**
     * One problem of a message, as its ACK's ERR segment reported it.
     *
     * @param code     registry code, {@code NBR-xxxx}
     * @param severity E (error) or W (warning)
     * @param location where in the message, e.g. {@code PID-7}, or null
     * @param message  what was wrong; names fields, never repeats their content
     */
    public record Problem(String code, String severity, String location, String message) {
    }
}

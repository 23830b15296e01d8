package org.newbornregistry.adapter.mapping;

import org.hl7.fhir.r4.model.Bundle;
import org.newbornregistry.adapter.hl7.Hl7Problem;

import java.util.List;

/**
 * What a message maps to: one transaction Bundle for the registry's write path, and the
 * warnings (ERR severity W) its ACK and the message store report.
 */
public record MappedMessage(Bundle transaction, List<Hl7Problem> warnings) {
}

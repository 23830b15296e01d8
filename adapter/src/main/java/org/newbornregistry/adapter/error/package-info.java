/**
 * The error catalogue shared by the HL7 v2 and FHIR entrances, so that one failure gets the
 * same code in an ACK's ERR segment and in an OperationOutcome.
 */
package org.newbornregistry.adapter.error;

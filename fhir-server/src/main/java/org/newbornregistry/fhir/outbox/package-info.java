/**
 * The outbox towards the national DNA index: rows written with the genotype or consent change
 * that caused them, claimed one at a time by whichever adapter instance is free, and the record
 * of what the index holds.
 */
package org.newbornregistry.fhir.outbox;

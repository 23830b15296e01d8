/**
 * The STR genotype model: loci with their spellings and allele syntax, shared by the HL7 result
 * mapping, the genotype Observation and the index submissions.
 */
package org.newbornregistry.adapter.genotype;

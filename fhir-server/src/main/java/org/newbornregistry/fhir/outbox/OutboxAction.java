package org.newbornregistry.fhir.outbox;

/** What an outbox row asks the index route to do; stored by name in {@code index_outbox.action}. */
public enum OutboxAction {
    /** Send a reportable genotype, if consent permits it now. */
    SUBMIT,
    /** A consent changed, or the newborn came of age: submit what is now permitted, withdraw what no longer is. */
    REVIEW,
    /** Retention looks at a genotype: keep it while profiling and storage are consented, else erase it. */
    RETAIN
}

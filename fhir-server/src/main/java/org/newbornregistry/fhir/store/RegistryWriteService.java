package org.newbornregistry.fhir.store;

import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;
import org.newbornregistry.adapter.error.NbrError;
import org.newbornregistry.fhir.error.RegistryErrors;
import org.newbornregistry.fhir.validation.InboundValidator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionCallback;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.Optional;
import java.util.function.Function;

/**
 * The registry's one write path. Every write from every entrance (FHIR REST, transaction
 * Bundles, and the HL7 v2 routes) comes through here, each in one database transaction that
 * stores the new version, its search index and business identifiers and runs the end-of-
 * transaction reference checks. Later concerns (outbox, audit) join this transaction here, so
 * nothing is written without them.
 *
 * <p>What clients send over FHIR ({@link #create}, {@link #update}, {@link #conditionalUpdate},
 * {@link #transaction}: each entry) is validated against base R4 and the registry's profiles
 * first, before a database transaction is opened ({@link InboundValidator}); an invalid resource
 * is refused with 422 and nothing is stored. {@link #unitOfWork}, the HL7 v2 entrance, does not
 * validate: what the adapter maps is proven conformant by tests instead.
 *
 * <p>A transaction that loses a deadlock or lock race is retried from the caller's original
 * input, which is never modified. A write made inside a transaction the caller holds (a group
 * commit of several HL7 messages) runs under a savepoint instead: when it fails, only its own
 * work is undone and the caller's transaction goes on; it is not retried there, because a lost
 * race means the caller's transaction must be retried as a whole.
 */
public class RegistryWriteService {

    private static final Logger LOG = LoggerFactory.getLogger(RegistryWriteService.class);
    private static final int MAX_ATTEMPTS = 5;

    private final ResourceWriter writer;
    private final BundleProcessor bundles;
    private final ResourceStore store;
    private final TransactionTemplate transactions;
    private final TransactionTemplate savepoints;
    private final InboundValidator validation;

    RegistryWriteService(ResourceWriter writer, BundleProcessor bundles, ResourceStore store,
                         TransactionTemplate transactions, InboundValidator validation) {
        this.writer = writer;
        this.bundles = bundles;
        this.store = store;
        this.transactions = transactions;
        this.savepoints = new TransactionTemplate(transactions.getTransactionManager());
        this.savepoints.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
        this.validation = validation;
    }

    /**
     * Creates a resource, or returns the one {@code ifNoneExist} (may be null) matches.
     *
     * @param origin who writes: the server base its absolute references may use, its organisation
     */
    public WriteOutcome create(IBaseResource resource, String ifNoneExist, WriteOrigin origin) {
        validation.check(resource);
        return inTransaction(origin, session -> writer.create(session, copy(resource), ifNoneExist));
    }

    /** Updates (or creates) the resource with this id; a version in {@code id} is the If-Match version. */
    public WriteOutcome update(IIdType id, IBaseResource resource, WriteOrigin origin) {
        Long ifMatch = null;
        if (id.hasVersionIdPart()) {
            try {
                ifMatch = id.getVersionIdPartAsLong();
            } catch (NumberFormatException e) {
                throw RegistryErrors.exception(NbrError.INVALID_RESOURCE, "If-Match must name a version number");
            }
        }
        Long expected = ifMatch;
        // Why: the registry's own request errors (400, 405) come before the validator's findings (422).
        writer.checkKey(ResourceKey.of(id), (Resource) resource);
        validation.check(resource);
        return inTransaction(origin, session -> writer.update(session, ResourceKey.of(id), expected, copy(resource)));
    }

    /** Updates the one resource matching {@code conditionalUrl}, or creates it. */
    public WriteOutcome conditionalUpdate(String type, String conditionalUrl, IBaseResource resource, WriteOrigin origin) {
        validation.check(resource);
        return inTransaction(origin, session -> writer.conditionalUpdate(session, type, conditionalUrl, copy(resource)));
    }

    /** Deletes a resource. */
    public WriteOutcome delete(IIdType id, WriteOrigin origin) {
        return inTransaction(origin, session -> writer.delete(session, ResourceKey.of(id)));
    }

    /** Deletes the one resource matching {@code conditionalUrl}; empty if none matched. */
    public Optional<WriteOutcome> conditionalDelete(String type, String conditionalUrl, WriteOrigin origin) {
        return inTransaction(origin, session -> writer.conditionalDelete(session, type, conditionalUrl));
    }

    /**
     * Processes a transaction Bundle atomically, or a batch Bundle entry by entry.
     *
     * @param origin who writes: the server base its absolute references may use, its organisation
     */
    public Bundle transaction(Bundle bundle, WriteOrigin origin) {
        if (bundle.getType() == Bundle.BundleType.BATCH) {
            return bundles.batch(bundle, origin, this);
        }
        if (bundle.getType() == Bundle.BundleType.TRANSACTION) {
            validation.checkEntries(bundle);
        }
        return inTransaction(origin, session -> bundles.transaction(session, bundle.copy(), origin.serverBase()));
    }

    /**
     * Runs the caller's work and the transaction Bundles it submits in one database transaction,
     * so that what the caller writes itself (the HL7 message store) commits or rolls back with
     * them. On a lost lock race the whole work runs again.
     */
    public <T> T unitOfWork(Function<UnitOfWork, T> work) {
        return unitOfWork(WriteOrigin.internal(), work);
    }

    /** A {@link #unitOfWork(Function)} whose Bundles come from {@code origin}, an HL7 message's sender. */
    public <T> T unitOfWork(WriteOrigin origin, Function<UnitOfWork, T> work) {
        return inTransaction(origin, session -> work.apply(bundle -> bundles.transaction(session, bundle.copy(), null)));
    }

    /** Writes inside a {@link #unitOfWork}. */
    @FunctionalInterface
    public interface UnitOfWork {
        /** Processes a transaction Bundle as part of the unit of work; its response Bundle. */
        Bundle transaction(Bundle transaction);
    }

    /** Validates a resource of a batch entry as {@link #create} does: 422 when invalid. */
    void validateInbound(Resource resource) {
        validation.check(resource);
    }

    /**
     * Runs a unit of work in one database transaction, verifying it and recording the origin's audit event before
     * commit, retrying lost races.
     */
    <T> T inTransaction(WriteOrigin origin, Function<WriteSession, T> work) {
        TransactionCallback<T> write = tx -> {
            WriteSession session = new WriteSession(origin);
            T result = work.apply(session);
            session.verify(store);
            session.recordAudit();
            return result;
        };
        if (TransactionSynchronizationManager.isActualTransactionActive()) {
            return savepoints.execute(write);
        }
        for (int attempt = 1; ; attempt++) {
            try {
                return transactions.execute(write);
            } catch (TransientDataAccessException e) {
                if (attempt >= MAX_ATTEMPTS) {
                    throw e;
                }
                LOG.info("Write transaction lost a lock race ({}), retrying, attempt {}", e.getClass().getSimpleName(), attempt + 1);
            }
        }
    }

    private static Resource copy(IBaseResource resource) {
        return ((Resource) resource).copy();
    }
}

package org.newbornregistry.fhir;

import ca.uhn.hl7v2.AcknowledgmentCode;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import org.hl7.fhir.r4.model.Bundle;
import org.junit.jupiter.api.Test;
import org.newbornregistry.conformance.TwinBirth;
import org.newbornregistry.fhir.hl7.InboundMessageService;
import org.springframework.beans.factory.annotation.Autowired;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Group commit of HL7 messages: messages arriving while the database writers are busy are written
 * several to a transaction; one the registry refuses inside such a transaction is answered and
 * kept alone while the others commit; nobody is answered before the commit that holds its message.
 */
class MessageGroupCommitIT extends RegistryIntegrationSupport {

    private static final String SAINT_ANNE = "2.16.840.1.113883.3.9001";
    private static final int QUEUED = 10;

    @Autowired
    InboundMessageService inbound;

    @Autowired
    DataSource dataSource;

    @Autowired
    MeterRegistry meters;

    @Test
    void shouldWriteMessagesThatArriveTogetherSeveralToATransactionAndAnswerARefusedOneAlone() throws Exception {
        // given: General's newborn, and Saint Anne's message taking over its record, which the registry refuses (NBR-3009)
        String general = TwinBirth.unique().text();
        assertThat(inbound.receive(bytes(general)).ackCode()).isEqualTo(AcknowledgmentCode.AA);
        String foreign = general.replace("|GENERAL HOSPITAL^2.16.840.1.113883.19.5^ISO|", "|SAINT ANNE^" + SAINT_ANNE + "^ISO|")
                .replace("|NBR-SAMPLE", "|ANNE-SAMPLE").replace("ADT^A01^ADT_A01|", "ADT^A08^ADT_A01|ANNE");
        List<TwinBirth> births = new ArrayList<>();
        for (int i = 0; i < QUEUED + 1; i++) {
            births.add(TwinBirth.unique());
        }
        DistributionSummary perTransaction = meters.get("nbr.hl7.messages.per.transaction").summary();
        double messagesBefore = perTransaction.totalAmount();
        long transactionsBefore = perTransaction.count();
        boolean anyAnsweredBeforeCommit;
        ExecutorService connections = Executors.newFixedThreadPool(QUEUED + 2);
        List<Future<InboundMessageService.Receipt>> answers = new ArrayList<>();

        try (Connection holder = dataSource.getConnection()) {
            // when: the message store is locked, both writers wait in their first message, the rest queue behind them
            holder.setAutoCommit(false);
            try (Statement lock = holder.createStatement()) {
                lock.execute("lock table hl7_message in share row exclusive mode");
            }
            for (int i = 0; i < 2; i++) {
                String birth = births.get(i).text();
                answers.add(connections.submit(() -> inbound.receive(bytes(birth))));
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> waitingForTheLock() == 2);
            for (int i = 2; i < QUEUED + 1; i++) {
                String birth = births.get(i).text();
                answers.add(connections.submit(() -> inbound.receive(bytes(birth))));
            }
            answers.add(connections.submit(() -> inbound.receive(bytes(foreign))));
            await().atMost(Duration.ofSeconds(20)).until(() -> meters.get("nbr.hl7.messages.waiting").gauge().value() == QUEUED);
            anyAnsweredBeforeCommit = answers.stream().anyMatch(Future::isDone);
            holder.rollback();
        }
        List<InboundMessageService.Receipt> receipts = new ArrayList<>();
        for (Future<InboundMessageService.Receipt> answer : answers) {
            receipts.add(answer.get(30, TimeUnit.SECONDS));
        }
        connections.shutdown();

        // then
        assertThat(anyAnsweredBeforeCommit).as("no message is answered before the commit that holds it").isFalse();
        InboundMessageService.Receipt refused = receipts.get(receipts.size() - 1);
        assertThat(refused.ackCode()).isNotEqualTo(AcknowledgmentCode.AA);
        assertThat(refused.ack()).contains("NBR-3009");
        assertThat(jdbc.queryForObject("select status from hl7_message where id = ?", String.class, refused.messageId()))
                .isIn("REJECTED", "REFUSED");
        List<InboundMessageService.Receipt> accepted = receipts.subList(0, receipts.size() - 1);
        assertThat(accepted).extracting(InboundMessageService.Receipt::ackCode).containsOnly(AcknowledgmentCode.AA);
        for (InboundMessageService.Receipt receipt : accepted) {
            assertThat(jdbc.queryForObject("select status from hl7_message where id = ?", String.class, receipt.messageId()))
                    .isEqualTo("ACCEPTED");
        }
        for (TwinBirth birth : births) {
            assertThat(client.search().byUrl("Patient?identifier=" + TwinBirth.MRN_SYSTEM + "|" + birth.mrn())
                    .returnBundle(Bundle.class).execute().getEntry()).as("each birth's newborn stored once").hasSize(1);
        }
        assertThat(perTransaction.totalAmount() - messagesBefore).isEqualTo(QUEUED + 2);
        assertThat(perTransaction.count() - transactionsBefore).as("the queued messages shared transactions")
                .isLessThanOrEqualTo(2 + 2);
    }

    /** Backends of this database waiting for a lock on the message store. */
    private int waitingForTheLock() {
        return jdbc.queryForObject("""
                select count(*) from pg_locks l join pg_class c on c.oid = l.relation
                where c.relname = 'hl7_message' and not l.granted""", Integer.class);
    }

    private static byte[] bytes(String message) {
        return message.getBytes(StandardCharsets.US_ASCII);
    }
}

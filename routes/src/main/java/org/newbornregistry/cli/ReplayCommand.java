package org.newbornregistry.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.newbornregistry.fhir.security.Role;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code nbr-adapter replay [--url BASE] [--token TOKEN | --token-file FILE] (ID... | --status STATUS [--limit N])}:
 * has a running adapter process stored HL7 v2 messages again through the MLLP path, through the message
 * store's admin API ({@code POST /admin/hl7/messages/{id}/$replay}, or {@code POST /admin/hl7/messages/$replay}
 * by status), and prints for each message its store id, control id (MSH-10), and status and ACK code before
 * and after. Needs an admin token (default: the development admin token, {@code ./data/dev-tokens/admin.jwt}).
 */
@Command(name = "replay",
        description = {"Has a running adapter process stored HL7 messages again (after a fix), by id or by status, and prints"
                + " each message's status and ACK code before and after.",
                "Needs an admin token (default: ./data/dev-tokens/admin.jwt). Exits 0 when every replayed message was"
                        + " accepted, 1 when one was not, or an id was not found or its bytes are deleted."})
public final class ReplayCommand implements Callable<Integer> {

    private static final String MESSAGES = "/admin/hl7/messages";
    private static final Duration TIMEOUT = Duration.ofMinutes(10);

    @Spec
    CommandSpec spec;

    @Mixin
    AdapterHttp adapter;

    @Parameters(paramLabel = "ID", arity = "0..*", description = "ids of messages in the adapter's message store, as its"
            + " admin API lists them")
    List<Long> ids = List.of();

    @Option(names = "--status", paramLabel = "STATUS[,STATUS...]", description = "instead of ids: the messages with this"
            + " status, oldest first: REJECTED (answered AE), REFUSED (AR), ACCEPTED or PROCESSING; comma-separated for several")
    String status;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "100", description = {"with --status: the most messages to"
            + " replay, 1 to 500", "default: ${DEFAULT-VALUE}"})
    int limit;

    @Override
    public Integer call() throws Exception {
        if (ids.isEmpty() == (status == null)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "Give message ids or --status, one of the two");
        }
        if (status == null && spec.commandLine().getParseResult().hasMatchedOption("--limit")) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--limit goes with --status only");
        }
        if (ids.stream().anyMatch(id -> id < 1)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "A message id is a positive whole number");
        }
        return (status == null ? replayEach() : replayByStatus()) ? ExitCode.DONE.code() : ExitCode.NEGATIVE.code();
    }

    /** Replays the messages named by id, one request each; whether every one was accepted. */
    private boolean replayEach() throws Exception {
        boolean accepted = true;
        for (long id : ids) {
            HttpResponse<String> response = adapter.post(MESSAGES + "/" + id + "/$replay", Role.ADMIN, TIMEOUT);
            if (response.statusCode() == 200) {
                accepted &= print(AdapterHttp.json(response.body()));
            } else if (response.statusCode() == 404 || response.statusCode() == 409) {
                out().printf("message %d: not replayed: %s%n", id, AdapterHttp.problem(response.body()));
                accepted = false;
            } else {
                throw adapter.refused(response);
            }
        }
        out().flush();
        return accepted;
    }

    /** Replays up to {@link #limit} messages with {@link #status} in one request; whether every one was accepted. */
    private boolean replayByStatus() throws Exception {
        HttpResponse<String> response = adapter.post(MESSAGES + "/$replay?status=" + URLEncoder.encode(status, StandardCharsets.UTF_8)
                + "&limit=" + limit, Role.ADMIN, TIMEOUT);
        JsonNode batch = AdapterHttp.json(response.body());
        if (response.statusCode() != 200) {
            // Why: a store failure midway answers 503 with the messages replayed before it; say which they were.
            printAll(batch.path("replayed"));
            throw adapter.refused(response);
        }
        boolean accepted = printAll(batch.path("replayed"));
        int replayed = batch.path("replayed").size();
        int replayable = batch.path("replayable").asInt();
        out().printf("Replayed %d of the %d message(s) with status %s%s%n", replayed, replayable, status,
                replayable > replayed ? " (--limit " + limit + " cut the rest)" : "");
        out().flush();
        return accepted;
    }

    /** Prints each replay; whether every one was accepted. */
    private boolean printAll(JsonNode replays) {
        boolean accepted = true;
        for (JsonNode replay : replays) {
            accepted &= print(replay);
        }
        out().flush();
        return accepted;
    }

    /** Prints one message's replay as a line; whether it was accepted this time. */
    private boolean print(JsonNode replay) {
        JsonNode before = replay.path("before");
        JsonNode after = replay.path("after");
        out().printf("message %d (%s): %s %s -> %s %s%n", replay.path("id").asLong(), replay.path("controlId").asText(""),
                before.path("status").asText(), before.path("ackCode").asText(), after.path("status").asText(),
                after.path("ackCode").asText());
        return "ACCEPTED".equals(after.path("status").asText());
    }

    private PrintWriter out() {
        return spec.commandLine().getOut();
    }
}

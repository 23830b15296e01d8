package org.newbornregistry.fhir.audit.witness;

import org.newbornregistry.adapter.audit.merkle.AddCheckpointRequest;
import org.newbornregistry.adapter.audit.merkle.Checkpoint;
import org.newbornregistry.adapter.audit.merkle.Cosignature;
import org.newbornregistry.adapter.audit.merkle.NoteException;
import org.newbornregistry.adapter.audit.merkle.WitnessKey;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Asks one witness to cosign a checkpoint of the audit log: the {@code add-checkpoint} call of
 * c2sp.org/tlog-witness, {@code POST <witness URL>/add-checkpoint} with an {@link AddCheckpointRequest}
 * body, over the JDK's HTTP client.
 *
 * <p>Every outcome is a {@link Result}, never an exception: the witness cosigned ({@link Cosigned}),
 * holds another tree size for the log ({@link Conflict}, retry from that size), said no or answered
 * something unusable ({@link Refused}), or could not be reached in time ({@link Unreachable}). Where
 * the witness's public key is configured, only cosignatures that verify with it for the checkpoint
 * sent count; without one, lines under the witness's name that have the form of a cosignature are
 * passed on unverified, for whoever checks them later.
 *
 * <p>The deadline covers the whole exchange, connecting, sending and reading the answer, and the
 * answer is read up to {@value #MAX_RESPONSE_BYTES} bytes. Reasons name the witness, its URL, statuses
 * and sizes, never the checkpoint's text nor what the witness wrote back. Safe to share between
 * threads; no logging here, the caller decides what an outcome is worth.
 */
public final class WitnessClient {

    /** The most bytes of a witness's answer read: cosignature lines, a tree size or an error text. */
    static final int MAX_RESPONSE_BYTES = 64 * 1024;
    /** The content type of a 409 answer that carries the witness's tree size. */
    static final String TREE_SIZE_CONTENT_TYPE = "text/x.tlog.size";

    /** What became of one add-checkpoint request. */
    public sealed interface Result {
    }

    /**
     * The witness cosigned: its signature lines (without newlines), ready to be appended to the signed
     * checkpoint. With a configured key, only lines that verify with it; never empty.
     */
    public record Cosigned(List<String> signatureLines) implements Result {
        public Cosigned {
            signatureLines = List.copyOf(signatureLines);
        }
    }

    /**
     * The witness's latest cosigned checkpoint of the log has {@code witnessSize} leaves, not the old size
     * sent (409 with the size): send again with a consistency proof from that size.
     */
    public record Conflict(long witnessSize) implements Result {
    }

    /**
     * The witness answered, but not with a cosignature: {@code status} is its HTTP status, {@code reason} says
     * what that means, for an operator. 400, 403, 404 and 422 are the refusals of c2sp.org/tlog-witness; 409
     * here is a fork (the witness holds another root hash for the old size sent), never a stale size; 200 is
     * an answer without a usable cosignature (none by the configured key, or one by it that does not verify);
     * 5xx is the witness or a proxy before it failing, worth another try later.
     */
    public record Refused(int status, String reason) implements Result {
    }

    /** No answer: the witness could not be connected to, the exchange failed or the deadline passed. */
    public record Unreachable(String reason) implements Result {
    }

    private final HttpClient http;
    private final URI endpoint;
    private final String name;
    private final Optional<WitnessKey> key;
    private final Duration timeout;

    /**
     * A client with an HTTP client of its own.
     *
     * @param baseUrl the witness's submission prefix (http or https), to which {@code /add-checkpoint} is appended
     * @param name    the witness's name, which its cosignature lines carry (the key's name, when a key is given)
     * @param key     the witness's public key, to verify its cosignatures; empty to pass them on unverified
     * @param timeout the deadline of one whole exchange
     * @throws IllegalArgumentException when the URL is not an absolute http(s) URL without query or fragment, the
     *                                  name differs from the key's, or the timeout is not positive
     */
    public WitnessClient(URI baseUrl, String name, Optional<WitnessKey> key, Duration timeout) {
        this(HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(requirePositive(timeout))
                .build(), baseUrl, name, key, timeout);
    }

    /** A client that verifies cosignatures with {@code key}, named after it. */
    public WitnessClient(URI baseUrl, WitnessKey key, Duration timeout) {
        this(baseUrl, key.name(), Optional.of(key), timeout);
    }

    /**
     * A client on a shared HTTP client (which should not follow redirects: a witness answers the POST itself).
     *
     * @see #WitnessClient(URI, String, Optional, Duration)
     */
    public WitnessClient(HttpClient http, URI baseUrl, String name, Optional<WitnessKey> key, Duration timeout) {
        if (baseUrl == null || !baseUrl.isAbsolute() || baseUrl.isOpaque() || baseUrl.getHost() == null
                || !("http".equalsIgnoreCase(baseUrl.getScheme()) || "https".equalsIgnoreCase(baseUrl.getScheme()))
                || baseUrl.getRawQuery() != null || baseUrl.getRawFragment() != null) {
            throw new IllegalArgumentException("a witness URL is an absolute http or https URL without query or fragment");
        }
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a witness has a name");
        }
        if (key.isPresent() && !key.get().name().equals(name)) {
            throw new IllegalArgumentException("the witness key is named " + key.get().name() + ", not " + name);
        }
        String base = baseUrl.toString();
        this.endpoint = URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/add-checkpoint");
        this.http = http;
        this.name = name;
        this.key = key;
        this.timeout = requirePositive(timeout);
    }

    /** The witness's name. */
    public String name() {
        return name;
    }

    /** Where requests go: the submission prefix with {@code /add-checkpoint}. */
    public URI endpoint() {
        return endpoint;
    }

    /**
     * Sends the request and reads the answer, within the deadline.
     *
     * @param request the log's own request: its note is the checkpoint the cosignatures must verify against
     */
    public Result addCheckpoint(AddCheckpointRequest request) {
        HttpRequest post = HttpRequest.newBuilder(endpoint)
                .timeout(timeout)
                .POST(HttpRequest.BodyPublishers.ofByteArray(request.body()))
                .build();
        CompletableFuture<HttpResponse<byte[]>> exchange = http.sendAsync(post, info -> new BoundedBody(MAX_RESPONSE_BYTES));
        HttpResponse<byte[]> response;
        try {
            response = exchange.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            exchange.cancel(true);
            return new Unreachable("witness " + name + " at " + endpoint + " did not answer within " + timeout);
        } catch (InterruptedException e) {
            exchange.cancel(true);
            Thread.currentThread().interrupt();
            return new Unreachable("interrupted while waiting for witness " + name + " at " + endpoint);
        } catch (ExecutionException e) {
            return new Unreachable("cannot reach witness " + name + " at " + endpoint + ": " + describe(e.getCause()));
        }
        return switch (response.statusCode()) {
            case 200 -> cosigned(response.body(), request.claimedCheckpoint());
            case 409 -> conflict(response, request);
            case 400 -> new Refused(400, "witness " + name + " found the request malformed");
            case 403 -> new Refused(403, "witness " + name + " does not trust the checkpoint's signature: it does not know the log's key,"
                    + " or the signature does not verify");
            case 404 -> new Refused(404, "witness " + name + " does not know the log's origin");
            case 422 -> new Refused(422, "witness " + name + " found that the consistency proof from size " + request.oldSize()
                    + " to " + request.claimedCheckpoint().size() + " does not verify");
            default -> new Refused(response.statusCode(), "witness " + name + " answered HTTP " + response.statusCode());
        };
    }

    /** The cosignatures in a 200 answer: newline-terminated signature lines, of which those by this witness count. */
    private Result cosigned(byte[] body, Checkpoint checkpoint) {
        Optional<List<String>> answered = Cosignature.answerLines(body);
        if (answered.isEmpty()) {
            return new Refused(200, "witness " + name + " answered without signature lines (" + body.length + " bytes)");
        }
        List<String> lines = new ArrayList<>();
        for (String line : answered.get()) {
            if (key.isEmpty()) {
                if (line.startsWith("\u2014 " + name + " ") && isCosignature(line)) {
                    lines.add(line);
                }
                continue;
            }
            try {
                Cosignature.verify(line, key.get(), checkpoint);
                lines.add(line);
            } catch (NoteException e) {
                if (e.reason() == NoteException.Reason.BAD_SIGNATURE) {
                    return new Refused(200, "witness " + name + " answered a cosignature under its key that does not verify for size "
                            + checkpoint.size());
                }
                // Why: c2sp.org/tlog-witness has clients ignore signatures by keys they do not know (other witnesses, other keys).
            }
        }
        if (lines.isEmpty()) {
            return new Refused(200, "witness " + name + " answered no cosignature " + (key.isPresent() ? "by its configured key" : "under its name"));
        }
        return new Cosigned(lines);
    }

    /**
     * A 409 answer: the witness's size, when it carries one. Where that size is the old size sent, the witness
     * refused a checkpoint of the size it holds with another root hash: a fork, not a stale size, so no retry helps.
     */
    private Result conflict(HttpResponse<byte[]> response, AddCheckpointRequest request) {
        String contentType = response.headers().firstValue("Content-Type").orElse("").toLowerCase(Locale.ROOT);
        // Why ASCII: a tree size is digits; any other byte decodes to something the pattern refuses.
        String text = new String(response.body(), StandardCharsets.US_ASCII);
        if (!contentType.startsWith(TREE_SIZE_CONTENT_TYPE) || !text.matches("(0|[1-9][0-9]{0,18})\n?")) {
            return new Refused(409, "witness " + name + " answered 409 without its tree size");
        }
        long witnessSize;
        try {
            witnessSize = Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            return new Refused(409, "witness " + name + " answered 409 with a tree size beyond what this log can reach");
        }
        if (witnessSize == request.oldSize()) {
            return new Refused(409, "witness " + name + " holds another root hash for tree size " + witnessSize
                    + " than the checkpoint of size " + request.claimedCheckpoint().size() + " sent from there");
        }
        return new Conflict(witnessSize);
    }

    private static boolean isCosignature(String line) {
        try {
            Cosignature.claimedTimestamp(line);
            return true;
        } catch (NoteException e) {
            return false;
        }
    }

    private static String describe(Throwable failure) {
        String message = failure.getMessage();
        String described = failure.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : " (" + message + ")");
        return described.length() > 200 ? described.substring(0, 200) : described;
    }

    private static Duration requirePositive(Duration timeout) {
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("a witness timeout is positive");
        }
        return timeout;
    }

    /** Collects a response body up to a limit; a longer one fails the exchange instead of filling memory. */
    private static final class BoundedBody implements HttpResponse.BodySubscriber<byte[]> {

        private final int limit;
        private final CompletableFuture<byte[]> body = new CompletableFuture<>();
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private Flow.Subscription subscription;

        BoundedBody(int limit) {
            this.limit = limit;
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return body;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            for (ByteBuffer item : items) {
                if (body.isDone()) {
                    return;
                }
                if (bytes.size() + item.remaining() > limit) {
                    subscription.cancel();
                    body.completeExceptionally(new IOException("the answer is longer than " + limit + " bytes"));
                    return;
                }
                byte[] chunk = new byte[item.remaining()];
                item.get(chunk);
                bytes.write(chunk, 0, chunk.length);
            }
        }

        @Override
        public void onError(Throwable failure) {
            body.completeExceptionally(failure);
        }

        @Override
        public void onComplete() {
            body.complete(bytes.toByteArray());
        }
    }
}

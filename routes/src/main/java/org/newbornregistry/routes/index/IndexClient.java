package org.newbornregistry.routes.index;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The HTTP conversation with the national index: submit a profile under an idempotency key,
 * delete a pseudonym. Every answer is an {@link Answer}; only transport failures throw. Nothing
 * of the payload is ever logged or put in an outcome.
 */
public final class IndexClient {

    /** What the index answered: its HTTP status, and the receipt for an accepted submission. */
    public record Answer(int status, String receipt) {
        public boolean accepted() {
            return status >= 200 && status < 300;
        }

        /** Worth trying again: the index was unavailable or overloaded, not refusing the content. */
        public boolean transientFailure() {
            return status == 408 || status == 425 || status == 429 || status >= 500;
        }
    }

    private final HttpClient http;
    private final URI base;
    private final Duration timeout;
    private final ObjectMapper json = new ObjectMapper();

    public IndexClient(URI base, Duration timeout) {
        this.base = base;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    /** Submits one profile; the same key on a retry makes the index answer with its first receipt. */
    public Answer submit(byte[] body, String contentType, String idempotencyKey) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(base.resolve(base.getPath() + "/submissions"))
                .timeout(timeout).header("Content-Type", contentType).header("Idempotency-Key", idempotencyKey)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), receipt(response));
    }

    /** Asks the index to delete the profile of a pseudonym; succeeds also when it holds none. */
    public Answer delete(String pseudonym) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(base.resolve(base.getPath() + "/profiles/" + pseudonym))
                .timeout(timeout).DELETE().build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), null);
    }

    private String receipt(HttpResponse<String> response) {
        if (response.statusCode() < 200 || response.statusCode() >= 300) {
            return null;
        }
        try {
            JsonNode body = json.readTree(response.body());
            return body.hasNonNull("receiptId") ? body.get("receiptId").asText() : "accepted";
        } catch (IOException e) {
            return "accepted";
        }
    }
}

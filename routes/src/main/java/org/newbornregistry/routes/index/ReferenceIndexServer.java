package org.newbornregistry.routes.index;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Resource;
import org.newbornregistry.conformance.NbrCanonical;
import org.newbornregistry.conformance.index.CmfReader;
import org.newbornregistry.conformance.index.IndexProfile;
import org.newbornregistry.conformance.index.InvalidSubmissionException;
import org.newbornregistry.conformance.index.ReferenceIndex;
import org.newbornregistry.conformance.index.Stringency;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The reference national-index peer over HTTP (JDK server, no framework: it stands for a
 * system the adapter does not own). The protocol the adapter speaks to an index:
 * <ul>
 *   <li>{@code POST /index/submissions} — a CMF file ({@code application/xml}) or a FHIR
 *       transaction ({@code application/fhir+json}) with an {@code Idempotency-Key} header:
 *       201 with the receipt, 200 with the first receipt for a resend, 400 with the reason.</li>
 *   <li>{@code DELETE /index/profiles/{pseudonym}} — 200 whether or not it was held (a retried
 *       delete must succeed), saying which.</li>
 *   <li>{@code POST /index/search?stringency=high|moderate} — a CMF profile in, candidate
 *       pseudonyms with the number of matching loci out.</li>
 *   <li>For tests: {@code GET /index/profiles}, {@code DELETE /index/profiles},
 *       {@code POST /index/faults?fail=N&status=503&delayMillis=M} (the next N requests fail or wait).</li>
 * </ul>
 * Responses are JSON. Logs carry pseudonyms and receipt ids only: never alleles.
 */
public final class ReferenceIndexServer implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(ReferenceIndexServer.class);

    static {
        // Why: the JDK server writes a response's headers and body separately; with Nagle's algorithm on, the body
        // waits for the client's delayed ACK, 40 ms per request. Read once, when the server's configuration loads.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final ReferenceIndex index = new ReferenceIndex();
    private final CmfReader cmf = new CmfReader();
    private final FhirContext fhir;
    private final ObjectMapper json = new ObjectMapper();
    private final String host;
    private final int port;
    private final AtomicInteger failures = new AtomicInteger();
    private final AtomicInteger failureStatus = new AtomicInteger(503);
    private final AtomicLong delayMillis = new AtomicLong();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private volatile HttpServer server;

    /**
     * A submission as it arrived, for tests that check what crossed the wire (no identifying value,
     * one delivery per key).
     *
     * @param key       its Idempotency-Key
     * @param body      the CMF or FHIR text
     * @param duplicate whether the key had been received before
     */
    public record Received(String key, String body, boolean duplicate) {
    }

    public ReferenceIndexServer(FhirContext fhir, String host, int port) {
        this.fhir = fhir;
        this.host = host;
        this.port = port;
    }

    /** The holdings, for tests in the same JVM. */
    public List<Received> received() {
        return List.copyOf(received);
    }

    /** Forgets every profile and every received submission, for tests. */
    public void clear() {
        index.clear();
        received.clear();
    }

    public ReferenceIndex index() {
        return index;
    }

    /** The port it listens on (the bound one when configured as 0). */
    public int port() {
        return server == null ? port : server.getAddress().getPort();
    }

    @Override
    public void start() {
        try {
            HttpServer http = HttpServer.create(new InetSocketAddress(host, port), 64);
            http.createContext("/index/", this::handle);
            http.setExecutor(Executors.newFixedThreadPool(4, r -> {
                Thread thread = new Thread(r, "reference-index");
                thread.setDaemon(true);
                return thread;
            }));
            http.start();
            server = http;
            LOG.info("Reference national-index peer listening on {}:{}", host, port());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the reference index on port " + port, e);
        }
    }

    @Override
    public void stop() {
        HttpServer http = server;
        if (http != null) {
            http.stop(0);
            server = null;
        }
    }

    @Override
    public boolean isRunning() {
        return server != null;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try {
            route(exchange);
        } catch (InvalidSubmissionException e) {
            respond(exchange, 400, Map.of("error", e.getMessage()));
        } catch (RuntimeException e) {
            LOG.warn("Reference index failed on a request: {}", e.getClass().getSimpleName());
            respond(exchange, 500, Map.of("error", "internal error"));
        } finally {
            exchange.close();
        }
    }

    private void route(HttpExchange exchange) throws IOException {
        if (injectedFault(exchange)) {
            return;
        }
        String path = exchange.getRequestURI().getPath();
        String method = exchange.getRequestMethod();
        if (path.equals("/index/submissions") && method.equals("POST")) {
            submit(exchange);
        } else if (path.equals("/index/search") && method.equals("POST")) {
            search(exchange);
        } else if (path.equals("/index/profiles") && method.equals("GET")) {
            respond(exchange, 200, Map.of("pseudonyms", index.pseudonyms()));
        } else if (path.equals("/index/profiles") && method.equals("DELETE")) {
            clear();
            respond(exchange, 200, Map.of("cleared", true));
        } else if (path.startsWith("/index/profiles/") && method.equals("DELETE")) {
            String pseudonym = path.substring("/index/profiles/".length());
            boolean held = index.delete(pseudonym);
            LOG.info("Reference index deleted {}: {}", pseudonym, held ? "held" : "not held");
            respond(exchange, 200, Map.of("pseudonym", pseudonym, "deleted", held));
        } else if (path.equals("/index/faults") && method.equals("POST")) {
            faults(exchange);
        } else {
            respond(exchange, 404, Map.of("error", "no such index resource: " + method + " " + path));
        }
    }

    private void submit(HttpExchange exchange) throws IOException {
        String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
        if (key == null || key.isBlank()) {
            throw new InvalidSubmissionException("a submission needs an Idempotency-Key header");
        }
        byte[] body = read(exchange.getRequestBody());
        List<IndexProfile> profiles = profiles(exchange, body);
        if (profiles.size() != 1) {
            throw new InvalidSubmissionException("a submission carries exactly one specimen");
        }
        ReferenceIndex.Receipt receipt = index.submit(key, profiles.get(0));
        received.add(new Received(key, new String(body, StandardCharsets.UTF_8), receipt.duplicate()));
        LOG.info("Reference index received {} as {}{}", receipt.pseudonym(), receipt.receiptId(), receipt.duplicate() ? " (resend)" : "");
        respond(exchange, receipt.duplicate() ? 200 : 201,
                Map.of("receiptId", receipt.receiptId(), "pseudonym", receipt.pseudonym(), "duplicate", receipt.duplicate()));
    }

    private void search(HttpExchange exchange) throws IOException {
        String query = exchange.getRequestURI().getQuery();
        Stringency stringency = query != null && query.toLowerCase(Locale.ROOT).contains("stringency=moderate")
                ? Stringency.MODERATE : Stringency.HIGH;
        List<IndexProfile> targets = profiles(exchange, read(exchange.getRequestBody()));
        List<Map<String, Object>> candidates = new ArrayList<>();
        for (ReferenceIndex.Candidate candidate : index.search(targets.get(0).loci(), stringency)) {
            candidates.add(Map.of("pseudonym", candidate.pseudonym(), "matchingLoci", candidate.matchingLoci()));
        }
        respond(exchange, 200, Map.of("stringency", stringency.name().toLowerCase(Locale.ROOT), "candidates", candidates));
    }

    private List<IndexProfile> profiles(HttpExchange exchange, byte[] body) {
        String type = String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type")).toLowerCase(Locale.ROOT);
        if (type.contains("xml")) {
            return cmf.read(body);
        }
        if (type.contains("fhir+json") || type.contains("application/json")) {
            return List.of(fromFhir(body));
        }
        throw new InvalidSubmissionException("send CMF as application/xml or FHIR as application/fhir+json");
    }

    /** The genotype of a FHIR submission: the Observation's components under its pseudonym identifier. */
    private IndexProfile fromFhir(byte[] body) {
        Bundle bundle;
        try {
            bundle = fhir.newJsonParser().parseResource(Bundle.class, new String(body, StandardCharsets.UTF_8));
        } catch (DataFormatException | ClassCastException e) {
            throw new InvalidSubmissionException("not a FHIR Bundle");
        }
        Observation genotype = bundle.getEntry().stream().map(Bundle.BundleEntryComponent::getResource)
                .filter(Observation.class::isInstance).map(Observation.class::cast).findFirst()
                .orElseThrow(() -> new InvalidSubmissionException("a FHIR submission needs a genotype Observation"));
        String pseudonym = genotype.getSubject().getIdentifier().getValue();
        if (!NbrCanonical.INDEX_PSEUDONYM_SYSTEM.equals(genotype.getSubject().getIdentifier().getSystem())
                || pseudonym == null || pseudonym.isEmpty() || pseudonym.length() > 24) {
            throw new InvalidSubmissionException("Observation.subject must be the pseudonym identifier, 1 to 24 characters");
        }
        if (genotype.getSubject().hasReference() || bundle.getEntry().stream().map(Bundle.BundleEntryComponent::getResource)
                .map(Resource::fhirType).anyMatch(t -> t.equals("Patient") || t.equals("RelatedPerson"))) {
            throw new InvalidSubmissionException("a submission must not name a person: only the pseudonym");
        }
        Map<String, List<String>> loci = new LinkedHashMap<>();
        for (Observation.ObservationComponentComponent component : genotype.getComponent()) {
            String locus = component.getCode().getCodingFirstRep().getDisplay();
            if (locus == null || !component.hasValueStringType()) {
                throw new InvalidSubmissionException("each component needs a locus (display) and alleles (valueString)");
            }
            loci.put(locus, Arrays.asList(component.getValueStringType().getValue().split(",")));
        }
        if (loci.isEmpty()) {
            throw new InvalidSubmissionException("a genotype needs at least one locus");
        }
        return IndexProfile.of(pseudonym, loci);
    }

    private void faults(HttpExchange exchange) throws IOException {
        Map<String, String> query = new LinkedHashMap<>();
        String raw = exchange.getRequestURI().getQuery();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                String[] kv = pair.split("=", 2);
                query.put(kv[0], kv.length > 1 ? kv[1] : "");
            }
        }
        failures.set(Integer.parseInt(query.getOrDefault("fail", "0")));
        failureStatus.set(Integer.parseInt(query.getOrDefault("status", "503")));
        delayMillis.set(Long.parseLong(query.getOrDefault("delayMillis", "0")));
        respond(exchange, 200, Map.of("fail", failures.get(), "status", failureStatus.get(), "delayMillis", delayMillis.get()));
    }

    /** Applies a fault set by {@code /index/faults} to any other request; whether it answered. */
    private boolean injectedFault(HttpExchange exchange) throws IOException {
        if (exchange.getRequestURI().getPath().equals("/index/faults")) {
            return false;
        }
        long delay = delayMillis.get();
        if (delay > 0) {
            try {
                TimeUnit.MILLISECONDS.sleep(delay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            read(exchange.getRequestBody());
            respond(exchange, failureStatus.get(), Map.of("error", "fault injected for a test"));
            return true;
        }
        return false;
    }

    private void respond(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = json.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private static byte[] read(InputStream in) throws IOException {
        return in.readNBytes(16 * 1024 * 1024);
    }
}

package org.newbornregistry.fhir.audit.witness;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.newbornregistry.adapter.audit.merkle.AddCheckpointRequest;
import org.newbornregistry.adapter.audit.merkle.Checkpoint;
import org.newbornregistry.adapter.audit.merkle.ConsistencyProof;
import org.newbornregistry.adapter.audit.merkle.Cosignature;
import org.newbornregistry.adapter.audit.merkle.NoteException;
import org.newbornregistry.adapter.audit.merkle.NoteVerifier;
import org.newbornregistry.adapter.audit.merkle.ProofException;
import org.newbornregistry.adapter.audit.merkle.TreeHash;
import org.newbornregistry.adapter.audit.merkle.VerifierKey;
import org.newbornregistry.adapter.audit.merkle.WitnessKey;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A witness as c2sp.org/tlog-witness describes it, for tests: {@code POST /add-checkpoint} on the
 * JDK's HTTP server, on 127.0.0.1 and a free port. It knows some logs (origin and checkpoint key),
 * has an Ed25519 key of its own, keeps each log's latest cosigned size and root hash, in memory and,
 * when given a file, on disk before it answers (so a witness started again on the same file
 * remembers), and answers exactly as the specification says:
 * <ul>
 *   <li>400 for a malformed body or an old size above the checkpoint's;</li>
 *   <li>404 for an origin it does not know, 403 when no signature by the log's key verifies;</li>
 *   <li>409 with {@code text/x.tlog.size} and its size when the old size is not the size it holds, and
 *       when it is, equals the checkpoint's and the root hashes differ;</li>
 *   <li>422 when the consistency proof from the old size and its root does not lead to the checkpoint;</li>
 *   <li>200 with its cosignature line otherwise, after recording the checkpoint.</li>
 * </ul>
 * Checks and update are done under one lock, so two requests cannot roll the size back. Public, and
 * in the test jar for the routes module, for any test that needs a witness to talk to.
 */
public final class ReferenceWitness implements AutoCloseable {

    private final String name;
    private final KeyPair keyPair;
    private final WitnessKey key;
    private final Map<String, VerifierKey> logs;
    private final Optional<Path> stateFile;
    private final Map<String, Head> heads = new HashMap<>();
    private int requests;
    private int accepted;
    private HttpServer server;

    /** A log's latest cosigned checkpoint, as the witness keeps it. */
    private record Head(long size, byte[] root) {
    }

    /**
     * A witness not yet started.
     *
     * @param name      the witness's name, which its cosignature lines carry
     * @param keyPair   its Ed25519 key pair
     * @param logs      the logs it knows: origin to the key that signs their checkpoints
     * @param stateFile where it keeps the logs' sizes and roots, read now when it exists; empty to keep them in memory only
     */
    public ReferenceWitness(String name, KeyPair keyPair, Map<String, VerifierKey> logs, Optional<Path> stateFile) {
        this.name = name;
        this.keyPair = keyPair;
        this.key = WitnessKey.of(name, keyPair.getPublic());
        this.logs = Map.copyOf(logs);
        this.stateFile = stateFile;
        stateFile.filter(Files::exists).ifPresent(this::load);
    }

    /** A witness with a new key pair that keeps its state in memory. */
    public static ReferenceWitness inMemory(String name, Map<String, VerifierKey> logs) {
        return new ReferenceWitness(name, newKeyPair(), logs, Optional.empty());
    }

    /** A new Ed25519 key pair, for a witness that should keep its key across a restart. */
    public static KeyPair newKeyPair() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 is part of every Java 17 runtime", e);
        }
    }

    /** Starts listening on 127.0.0.1 and a free port. */
    public synchronized ReferenceWitness start() throws IOException {
        if (server != null) {
            throw new IllegalStateException("already started");
        }
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
        return this;
    }

    /** The submission prefix, {@code http://127.0.0.1:<port>}, to which a client appends {@code /add-checkpoint}. */
    public synchronized URI url() {
        if (server == null) {
            throw new IllegalStateException("not started");
        }
        return URI.create("http://" + server.getAddress().getAddress().getHostAddress() + ":" + server.getAddress().getPort());
    }

    /** The witness's public key, which verifies its cosignatures. */
    public WitnessKey key() {
        return key;
    }

    /** The size of the latest checkpoint it cosigned for {@code origin}, 0 when none. */
    public synchronized long size(String origin) {
        Head head = heads.get(origin);
        return head == null ? 0 : head.size();
    }

    /** How many checkpoints it cosigned (200 answers). */
    public synchronized int accepted() {
        return accepted;
    }

    /** How many add-checkpoint requests it answered, whatever the answer. */
    public synchronized int requests() {
        return requests;
    }

    /** Stops listening at once; what it recorded stays in its file. */
    @Override
    public synchronized void close() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try {
            if (!"/add-checkpoint".equals(exchange.getRequestURI().getPath())) {
                respond(exchange, 404, "text/plain; charset=utf-8", "not found\n");
                return;
            }
            if (!"POST".equals(exchange.getRequestMethod())) {
                exchange.getResponseHeaders().set("Allow", "POST");
                respond(exchange, 405, "text/plain; charset=utf-8", "add-checkpoint is a POST\n");
                return;
            }
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readNBytes(AddCheckpointRequest.MAX_BYTES + 1);
            }
            Answer answer = addCheckpoint(body);
            respond(exchange, answer.status(), answer.contentType(), answer.body());
        } finally {
            exchange.close();
        }
    }

    private record Answer(int status, String contentType, String body) {

        static Answer text(int status, String body) {
            return new Answer(status, "text/plain; charset=utf-8", body + "\n");
        }

        static Answer size(long size) {
            return new Answer(409, WitnessClient.TREE_SIZE_CONTENT_TYPE, size + "\n");
        }
    }

    private Answer addCheckpoint(byte[] body) {
        synchronized (this) {
            requests++;
        }
        AddCheckpointRequest request;
        try {
            request = AddCheckpointRequest.parse(body);
        } catch (NoteException | ProofException e) {
            return Answer.text(400, "malformed request: " + e.getMessage());
        }
        String origin = request.claimedCheckpoint().origin();
        VerifierKey logKey = logs.get(origin);
        if (logKey == null) {
            return Answer.text(404, "unknown log");
        }
        Checkpoint checkpoint;
        try {
            checkpoint = Checkpoint.open(request.note(), origin, new NoteVerifier(logKey));
        } catch (NoteException e) {
            boolean untrusted = e.reason() == NoteException.Reason.UNTRUSTED || e.reason() == NoteException.Reason.BAD_SIGNATURE;
            return Answer.text(untrusted ? 403 : 400, e.getMessage());
        }
        synchronized (this) {
            Head head = heads.getOrDefault(origin, new Head(0, TreeHash.emptyTree()));
            if (request.oldSize() != head.size()) {
                return Answer.size(head.size());
            }
            List<byte[]> proof = request.proof();
            if (request.oldSize() == checkpoint.size()) {
                if (!proof.isEmpty()) {
                    return Answer.text(422, "equal sizes need an empty proof");
                }
                if (!MessageDigest.isEqual(head.root(), checkpoint.rootHash())) {
                    return Answer.size(head.size());
                }
            } else if (request.oldSize() == 0) {
                if (!proof.isEmpty()) {
                    return Answer.text(422, "a proof from size 0 must be empty");
                }
            } else {
                try {
                    ConsistencyProof.verify(request.oldSize(), checkpoint.size(), head.root(), checkpoint.rootHash(), proof);
                } catch (ProofException e) {
                    return Answer.text(422, "the consistency proof does not verify: " + e.reason());
                }
            }
            heads.put(origin, new Head(checkpoint.size(), checkpoint.rootHash()));
            try {
                save();
            } catch (IOException | UncheckedIOException e) {
                heads.put(origin, head);
                return Answer.text(500, "cannot record the checkpoint");
            }
            accepted++;
            long now = System.currentTimeMillis() / 1000;
            return Answer.text(200, Cosignature.sign(checkpoint, now, key, keyPair.getPrivate()));
        }
    }

    private static void respond(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** Writes every log's head, one line each ({@code <size> <base64 root> <origin>}), through a file moved into place. */
    private void save() throws IOException {
        if (stateFile.isEmpty()) {
            return;
        }
        StringBuilder text = new StringBuilder();
        new TreeMap<>(heads).forEach((origin, head) ->
                text.append(head.size()).append(' ').append(Base64.getEncoder().encodeToString(head.root())).append(' ').append(origin).append('\n'));
        Path file = stateFile.get().toAbsolutePath();
        Files.createDirectories(file.getParent());
        Path temporary = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
        Files.writeString(temporary, text, StandardCharsets.UTF_8);
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private void load(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the witness state " + file, e);
        }
        for (String line : lines) {
            String[] fields = line.split(" ", 3);
            if (fields.length != 3) {
                throw new IllegalStateException("not a witness state line in " + file);
            }
            heads.put(fields[2], new Head(Long.parseLong(fields[0]), Base64.getDecoder().decode(fields[1])));
        }
    }
}

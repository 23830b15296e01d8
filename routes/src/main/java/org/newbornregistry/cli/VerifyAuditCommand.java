package org.newbornregistry.cli;

import org.newbornregistry.fhir.security.Role;
import picocli.CommandLine.Command;
import org.newbornregistry.fhir.audit.CheckpointFile;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * {@code nbr-adapter verify-audit [--url BASE] [--token TOKEN | --token-file FILE] [--checkpoint FILE]}: asks a
 * running adapter to recompute its audit log from the database against the last signed checkpoint, the checkpoint
 * file and — with {@code --checkpoint} — a checkpoint the auditor kept, and prints what it found: the checkpoint's
 * size and, when something does not match, the first leaf and AuditEvent that does not, and why. Needs an auditor's
 * or admin's token (default: the development auditor token, {@code ./data/dev-tokens/auditor.jwt}).
 */
@Command(name = "verify-audit",
        description = {"Has a running adapter verify its audit log against the last signed checkpoint and prints the result.",
                "Needs an auditor's or admin's token (default: ./data/dev-tokens/auditor.jwt). Exits 0 when verified, 1 when not."})
public final class VerifyAuditCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    AdapterHttp adapter;

    @Option(names = "--checkpoint", paramLabel = "FILE",
            description = {"A checkpoint kept outside the adapter's database (a signed note, as /audit/log/checkpoint gave it, or a "
                    + "checkpoint file: its last note): the log must extend it. A log truncated and signed afresh shows only "
                    + "against such a checkpoint."})
    Path checkpoint;

    @Override
    public Integer call() throws Exception {
        String held = null;
        if (checkpoint != null) {
            List<String> notes = CheckpointFile.split(Files.readString(checkpoint, StandardCharsets.UTF_8).replace("\r\n", "\n"));
            if (notes.isEmpty()) {
                throw new ParameterException(spec.commandLine(), "--checkpoint " + checkpoint + " holds no signed note");
            }
            held = notes.get(notes.size() - 1);
        }
        HttpResponse<String> response = adapter.post("/audit/log/verify", Role.AUDITOR, Duration.ofMinutes(10), held);
        if (response.statusCode() != 200) {
            throw adapter.refused(response);
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println(response.body());
        out.flush();
        return (response.body().contains("\"verified\":true") ? ExitCode.DONE : ExitCode.NEGATIVE).code();
    }
}

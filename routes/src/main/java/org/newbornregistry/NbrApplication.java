package org.newbornregistry;

import org.newbornregistry.cli.SendCommand;
import org.newbornregistry.cli.TokenCommand;
import org.newbornregistry.cli.VerifyAuditCommand;
import org.newbornregistry.cli.backfill.ImportCommand;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

import java.util.Arrays;

/**
 * The Newborn Registry Adapter: the FHIR R4 registry at {@code /fhir}, with an embedded
 * PostgreSQL unless {@code spring.datasource.url} points elsewhere, and the Camel context that
 * the HL7 v2 and national-index routes run in.
 */
@SpringBootApplication
public class NbrApplication {

    /**
     * Starts the adapter; {@code send FILE [HOST[:PORT]]} instead sends one HL7 v2 file to a
     * running adapter's MLLP listener and prints the ACK, and {@code verify-audit [BASE-URL]} has a
     * running adapter verify its audit log against the last signed checkpoint, and
     * {@code token ROLE [--organization ORG] [--days N]} prints a development bearer token, and
     * {@code import [--to HOST[:PORT]] [--connections N] PATH...} backfills HL7 v2 archives into a running adapter.
     */
    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("send")) {
            System.exit(SendCommand.run(Arrays.copyOfRange(args, 1, args.length), System.out, System.err));
        }
        if (args.length > 0 && args[0].equals("verify-audit")) {
            System.exit(VerifyAuditCommand.run(Arrays.copyOfRange(args, 1, args.length), System.out, System.err));
        }
        if (args.length > 0 && args[0].equals("import")) {
            System.exit(ImportCommand.run(Arrays.copyOfRange(args, 1, args.length), System.out, System.err, System.console() != null));
        }
        if (args.length > 0 && args[0].equals("token")) {
            System.exit(TokenCommand.run(Arrays.copyOfRange(args, 1, args.length), System.out, System.err));
        }
        SpringApplication.run(NbrApplication.class, args);
    }
}

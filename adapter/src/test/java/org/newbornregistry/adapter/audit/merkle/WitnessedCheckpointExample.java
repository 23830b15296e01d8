package org.newbornregistry.adapter.audit.merkle;

/**
 * A real checkpoint as witnesses cosigned it: tree size 1432088532 of the public staging
 * certificate-transparency log {@code arche2025h1.staging.ct.transparency.dev}, signed by the log
 * (an Ed25519 note signature, and an RFC 6962 tree-head signature under the same name that note
 * verifiers skip) and cosigned ({@code cosignature/v1}) by four public witnesses. Only public keys
 * and signatures: the independent check that a cosignature made elsewhere verifies here, that the
 * key ID of a witness vkey is computed with type 0x04, and that the signed message is laid out as
 * c2sp.org/tlog-cosignature says.
 */
final class WitnessedCheckpointExample {

    static final String ORIGIN = "arche2025h1.staging.ct.transparency.dev";
    static final String TEXT = ORIGIN + "\n"
            + "1432088532\n"
            + "U7WM79jrzyhGZ5/GUBTpM7NzwdyfFx61t3RovgcC4Ro=\n";
    static final String LOG_VERIFIER_KEY = "arche2025h1.staging.ct.transparency.dev+ba2f06c0+AU0vHmlGCS/PdN8b2OaGmKprLI8HKM+dJ472xgFYh15f";
    static final String WITNESS_KEY = "remora.n621.de+da77ade7+BOvN63jn/bLvkieywe8R6UYAtVtNbZpXh34x7onlmtw2";
    static final String WITNESS_COSIGNATURE = "\u2014 remora.n621.de "
            + "2net5wAAAABqEiEgPlfF3V06o0Y+fHM+J5J9s27wgxxcOVSpZ/2g/KSiXCg9DEZI+aVCIobWX9sXTynk5XeU/zZ0WBxtqB0DrAWfBw==";
    /** The timestamp in that cosignature: 0x6a122120 seconds after the epoch. */
    static final long WITNESS_TIMESTAMP = 1_779_573_024L;
    static final String NOTE = TEXT + "\n"
            + "\u2014 arche2025h1.staging.ct.transparency.dev zTM8sQAAAZ5W0WdjBAMARjBEAiBjW5IQf9pvsYLfQFX6hoGREPMHbdQ3urbllzalApkptQIgIpwtEroeW2BXaHAI4kJXFbon5Ch9MNL5zRNZ55lvGt0=\n"
            + "\u2014 arche2025h1.staging.ct.transparency.dev ui8GwCF1+kWqZrxGdhj4aX3gcw7XUlXQQabg/27lefwhUkzbC3NygNI75MdhL1bfTW9g8Ei59RA23oHP7Ry1k3ZFWwQ=\n"
            + "\u2014 transparency.dev/DEV:witness-little-garden 2AQqhwAAAABqEiEgzgFIqqhbUoDwjMWE6UP8nd8/KYTzwZ2rhIgcqoXHAwVkjZr4AscylP3v7sEodkRAErumC2q44vdgJY096st5BQ==\n"
            + "\u2014 witness1.smartit.nu/witness1 pIyCDwAAAABqEiEghIp82KWebrw7/oHQwlTAm3g2RKS4+eebl8eO0WH+/iEcxZ75W3u5hNI7TOQtmJbqmNWVuE0tgh0XwzdZsDsUAQ==\n"
            + WITNESS_COSIGNATURE + "\n"
            + "\u2014 witness.stagemole.eu Z/euoAAAAABqEiEgw0i+7g2ENfDAWHmtRzCfKTHSDwYDJA2NmKeGi9Y8FtEyOUvVr+AJmIY/2TUFucgKi7lI7cUiOvKFYe/TmN9DAg==\n";

    private WitnessedCheckpointExample() {
    }
}

package org.newbornregistry.fhir.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

/**
 * The token issuer of the default run: an RSA key pair kept in a file (owner-only permissions,
 * generated on first use with a warning) that signs RS256 JWTs and validates them. It exists so
 * that a fresh checkout runs secured without an identity provider; the production profile
 * refuses it. The same file serves the {@code token} command and the tests.
 */
public final class DevelopmentIssuer {

    /** The {@code client_id} of every development token. */
    public static final String CLIENT_ID = "nbr-development-issuer";

    /** The {@code iss} of every development token. */
    public static final String ISSUER = "urn:newbornregistry:development-issuer";

    /**
     * The organisation of the development hospital token unless configured otherwise: "GENERAL
     * HOSPITAL" of the project's HL7 samples, as their MSH-4 names it, so that what the samples
     * register is what the hospital token reads back.
     */
    public static final String SAMPLE_HOSPITAL = "2.16.840.1.113883.19.5";

    private static final Logger LOG = LoggerFactory.getLogger(DevelopmentIssuer.class);

    private final RSAPublicKey publicKey;
    private final RSAPrivateKey privateKey;
    private final String keyId;

    private DevelopmentIssuer(KeyPair pair) {
        this.publicKey = (RSAPublicKey) pair.getPublic();
        this.privateKey = (RSAPrivateKey) pair.getPrivate();
        this.keyId = keyId(publicKey);
    }

    /** The issuer whose key pair is in {@code file}, generating the pair there if there is none. */
    public static synchronized DevelopmentIssuer loadOrCreate(Path file) {
        if (Files.exists(file)) {
            return load(file);
        }
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair pair = generator.generateKeyPair();
            Path directory = file.toAbsolutePath().getParent();
            Files.createDirectories(directory);
            Path temporary = Files.createTempFile(directory, ".dev-issuer", ".tmp");
            ownerOnly(temporary);
            Files.writeString(temporary, Base64.getEncoder().encodeToString(pair.getPrivate().getEncoded()) + "\n"
                    + Base64.getEncoder().encodeToString(pair.getPublic().getEncoded()) + "\n", StandardCharsets.US_ASCII);
            try {
                // Why: another process (a test JVM, the token command) may create it at the same moment; one wins.
                Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
                Files.deleteIfExists(temporary);
                return load(file);
            }
            LOG.warn("No token issuer configured: generated a development signing key in {}. Set "
                    + "spring.security.oauth2.resourceserver.jwt.issuer-uri (or jwk-set-uri) in production.", file);
            return new DevelopmentIssuer(pair);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the development issuer key " + file, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("RSA is part of every Java runtime", e);
        }
    }

    /** The issuer whose key pair is in {@code file}. */
    public static DevelopmentIssuer load(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
            KeyFactory factory = KeyFactory.getInstance("RSA");
            return new DevelopmentIssuer(new KeyPair(
                    factory.generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(lines.get(1).trim()))),
                    factory.generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(lines.get(0).trim())))));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the development issuer key " + file, e);
        } catch (GeneralSecurityException | IllegalArgumentException | IndexOutOfBoundsException e) {
            throw new IllegalStateException("the development issuer key " + file + " is not a base64 RSA key pair");
        }
    }

    /**
     * A signed token.
     *
     * @param subject      the {@code sub}, which audit events name as the user
     * @param scope        space-separated scopes
     * @param organization the {@code organization} claim, or null
     * @param validity     how long from now the token is valid
     */
    public String mint(String subject, String scope, String organization, Duration validity) {
        Instant now = Instant.now();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().issuer(ISSUER).subject(subject)
                .issueTime(Date.from(now)).notBeforeTime(Date.from(now)).expirationTime(Date.from(now.plus(validity)))
                .jwtID(UUID.randomUUID().toString()).claim("scope", scope).claim("client_id", CLIENT_ID);
        if (organization != null) {
            claims.claim("organization", organization);
        }
        return sign(claims.build());
    }

    /** Signs these claims as they are; tests use it for the tokens the decoder must refuse. */
    public String sign(JWTClaimsSet claims) {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(keyId).type(JOSEObjectType.JWT).build(),
                claims);
        try {
            jwt.sign(new RSASSASigner(privateKey));
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a development token", e);
        }
        return jwt.serialize();
    }

    /** A token for {@code role}, its subject {@code <role>-dev}. */
    public String mint(Role role, String organization, Duration validity) {
        return mint(role.id() + "-dev", role.scope(), organization, validity);
    }

    /** Validates signature, issuer and times against this issuer's key, and the claims the registry requires. */
    public JwtDecoder decoder() {
        NimbusJwtDecoder decoder = NimbusJwtDecoder.withPublicKey(publicKey).build();
        decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(JwtValidators.createDefaultWithIssuer(ISSUER),
                RegistryTokenClaims.validator()));
        return decoder;
    }

    /** Restricts {@code file} to its owner, where the file system knows POSIX permissions. */
    static void ownerOnly(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            LOG.debug("The file system does not support POSIX permissions");
        }
    }

    private static String keyId(RSAPublicKey key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getEncoded());
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}

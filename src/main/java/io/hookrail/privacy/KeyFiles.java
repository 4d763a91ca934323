package io.hookrail.privacy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The demo profile's keys: made once from {@link SecureRandom} and kept (base64, owner-only) in the data directory,
 * so what was sealed or encrypted before a restart still verifies and decrypts. Production configures its keys.
 */
public final class KeyFiles {

    private KeyFiles() {
    }

    /** The key kept in the file, made of {@code bytes} random bytes when the file does not exist yet. */
    public static byte[] readOrCreate(Path file, int bytes) throws IOException {
        if (!Files.exists(file)) {
            byte[] key = new byte[bytes];
            new SecureRandom().nextBytes(key);
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, Base64.getEncoder().encodeToString(key));
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException notPosix) {
                // a file system without POSIX permissions: the data directory's own protection applies
            }
        }
        return Base64.getDecoder().decode(Files.readString(file).trim());
    }
}

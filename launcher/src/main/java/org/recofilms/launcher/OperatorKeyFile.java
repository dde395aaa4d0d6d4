package org.recofilms.launcher;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Set;

/**
 * The embedded default's operator key, made once and kept in the home folder (readable by its owner
 * only), so that a key a user or the web page remembered still answers after a restart.
 */
final class OperatorKeyFile {

    static final String NAME = "operator-key";
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private OperatorKeyFile() {}

    /** The key kept in {@code home}, made (random, 128 bits) and written with mode 0600 when there is none. */
    static String readOrCreate(Path home) throws IOException {
        Path file = home.resolve(NAME);
        if (!Files.exists(file)) {
            byte[] random = new byte[16];
            new SecureRandom().nextBytes(random);
            String key = "local-" + HexFormat.of().formatHex(random);
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
                Files.writeString(file, key + "\n");
            } catch (FileAlreadyExistsException e) {
                // another launcher made it meanwhile: use that one
            }
        }
        if (!Files.getPosixFilePermissions(file).equals(OWNER_ONLY)) {
            Files.setPosixFilePermissions(file, OWNER_ONLY);
        }
        String key = Files.readString(file).strip();
        if (key.isEmpty()) {
            throw new IOException(file + " is empty: delete it and a new key is made");
        }
        return key;
    }
}

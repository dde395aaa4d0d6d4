package org.recofilms.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServingBundleTest {

    @TempDir
    Path dir;

    private static final NeighborArrays NEIGHBORS = new NeighborArrays(
            new int[] {1, 5, 9}, new int[] {0, 2, 2, 3}, new int[] {5, 9, 1}, new float[] {0.9f, 0.25f, 0.5f});
    private static final PopularityArrays POPULARITY = new PopularityArrays(
            new int[] {5, 1, 9}, new int[] {120, 80, 3}, new float[] {4.1f, 3.5f, 5f}, new double[] {4.05, 3.6, 3.2});

    @Test
    void theArraysComeBackAsWritten() throws Exception {
        Path file = dir.resolve(ServingBundle.FILE);
        ServingBundle.write(file, NEIGHBORS, POPULARITY);
        ServingBundle.Bundle back = ServingBundle.read(file);
        assertEquals(NEIGHBORS, back.neighbors());
        assertEquals(POPULARITY, back.popularity());
        assertTrue(Files.notExists(dir.resolve(ServingBundle.FILE + ".tmp")));
    }

    @Test
    void anEmptyModelIsAValidBundle() throws Exception {
        Path file = dir.resolve(ServingBundle.FILE);
        NeighborArrays none = new NeighborArrays(new int[0], new int[] {0}, new int[0], new float[0]);
        PopularityArrays nothing = new PopularityArrays(new int[0], new int[0], new float[0], new double[0]);
        ServingBundle.write(file, none, nothing);
        assertEquals(0, ServingBundle.read(file).neighbors().size());
    }

    @Test
    void aCorruptTruncatedOrForeignFileIsRefused() throws Exception {
        Path file = dir.resolve(ServingBundle.FILE);
        ServingBundle.write(file, NEIGHBORS, POPULARITY);
        byte[] good = Files.readAllBytes(file);

        byte[] flipped = good.clone();
        flipped[good.length / 2] ^= 0x10;
        Files.write(file, flipped);
        assertTrue(assertThrows(SnapshotException.class, () -> ServingBundle.read(file))
                .getMessage()
                .contains("checksum"));

        Files.write(file, Arrays.copyOf(good, good.length - 5));
        assertTrue(assertThrows(SnapshotException.class, () -> ServingBundle.read(file))
                .getMessage()
                .contains("truncated"));

        Files.writeString(file, "PAR1 not a bundle at all, just some text of some length");
        assertThrows(SnapshotException.class, () -> ServingBundle.read(file));
    }
}

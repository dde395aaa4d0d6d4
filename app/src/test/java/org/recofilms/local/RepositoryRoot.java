package org.recofilms.local;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The repository's root folder (kafka/, grafana/, docker-compose.yml), above the app module where
 * the tests run; {@code -DrepoRoot=DIR} names it explicitly.
 */
public final class RepositoryRoot {

    private RepositoryRoot() {}

    public static Path path() {
        String configured = System.getProperty("repoRoot");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("pom.xml")) && Files.isRegularFile(dir.resolve("docker-compose.yml"))) {
                return dir;
            }
        }
        throw new AssertionError("no folder with pom.xml and docker-compose.yml above "
                + Path.of("").toAbsolutePath());
    }

    /** The topics every broker gets: kafka/topics.conf. */
    public static Path topicsFile() {
        return path().resolve("kafka").resolve("topics.conf");
    }
}

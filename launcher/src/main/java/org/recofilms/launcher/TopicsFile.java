package org.recofilms.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * Reads kafka/topics.conf, the one list of topics that compose (kafka/create-topics.sh), the
 * launcher and the tests create: one topic a line, {@code name partitions replication [key=value ...]},
 * {@code #} starting a comment.
 */
public final class TopicsFile {

    private TopicsFile() {}

    public static List<NewTopic> read(Path file) throws IOException {
        List<NewTopic> topics = new ArrayList<>();
        int lineNumber = 0;
        for (String raw : Files.readAllLines(file)) {
            lineNumber++;
            String line = raw.contains("#") ? raw.substring(0, raw.indexOf('#')) : raw;
            line = line.strip();
            if (line.isEmpty()) {
                continue;
            }
            String[] parts = line.split("\\s+");
            if (parts.length < 3) {
                throw new IOException(file + ":" + lineNumber + ": expected 'topic partitions replication [k=v ...]'");
            }
            Map<String, String> configs = new HashMap<>();
            for (int i = 3; i < parts.length; i++) {
                int eq = parts[i].indexOf('=');
                if (eq <= 0) {
                    throw new IOException(file + ":" + lineNumber + ": bad config '" + parts[i] + "'");
                }
                configs.put(parts[i].substring(0, eq), parts[i].substring(eq + 1));
            }
            topics.add(new NewTopic(parts[0], Integer.parseInt(parts[1]), Short.parseShort(parts[2])).configs(configs));
        }
        return topics;
    }
}

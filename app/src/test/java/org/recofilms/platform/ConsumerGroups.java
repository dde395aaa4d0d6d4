package org.recofilms.platform;

import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.GroupListing;
import org.recofilms.local.TestServices;

/** The members of the test broker's consumer groups, as the role tests count them. */
final class ConsumerGroups {

    private ConsumerGroups() {}

    /** Members of the groups whose id starts with {@code prefix} (0 when there is none). */
    static int members(String prefix) throws Exception {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestServices.kafkaBootstrapServers());
        try (Admin admin = Admin.create(props)) {
            List<String> ids = admin.listGroups().all().get(10, TimeUnit.SECONDS).stream()
                    .map(GroupListing::groupId)
                    .filter(id -> id.startsWith(prefix))
                    .toList();
            if (ids.isEmpty()) {
                return 0;
            }
            return admin.describeConsumerGroups(ids).all().get(10, TimeUnit.SECONDS).values().stream()
                    .mapToInt((ConsumerGroupDescription g) -> g.members().size())
                    .sum();
        }
    }
}

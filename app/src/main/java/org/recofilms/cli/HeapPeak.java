package org.recofilms.cli;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * The peak of the heap in use while a command runs: heap use only grows between collections, so its
 * peak is the largest heap use just before a collection (summed over the heap pools at that one
 * instant, from the collectors' notifications) or the use now. Not the sum of each pool's own peak,
 * which adds maxima reached at different times and overstates.
 */
final class HeapPeak {

    private final AtomicLong peak = new AtomicLong();
    private final AtomicLong live = new AtomicLong();
    private final Set<String> heapPools;
    private final boolean watching;

    private HeapPeak() {
        heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP)
                .map(MemoryPoolMXBean::getName)
                .collect(Collectors.toUnmodifiableSet());
        boolean any = false;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener(
                        (n, handback) -> {
                            if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
                                var info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData())
                                        .getGcInfo();
                                record(info.getMemoryUsageBeforeGc());
                                recordLive(info.getMemoryUsageAfterGc());
                            }
                        },
                        null,
                        null);
                any = true;
            }
        }
        watching = any;
    }

    /** Starts watching the collectors (from now on). */
    static HeapPeak watch() {
        return new HeapPeak();
    }

    void record(Map<String, MemoryUsage> usageByPool) {
        peak.accumulateAndGet(heapUsed(usageByPool), Math::max);
    }

    /** After a collection: what survived it, the live data plus garbage the collection left. */
    void recordLive(Map<String, MemoryUsage> usageByPool) {
        live.accumulateAndGet(heapUsed(usageByPool), Math::max);
    }

    private long heapUsed(Map<String, MemoryUsage> usageByPool) {
        long used = 0;
        for (Map.Entry<String, MemoryUsage> e : usageByPool.entrySet()) {
            if (heapPools.contains(e.getKey())) {
                used += e.getValue().getUsed();
            }
        }
        return used;
    }

    /**
     * The largest heap use just after a collection, in bytes (-1 when no collector reports): a bound on
     * the live data closer than {@link #bytes()}, which includes the garbage the collector let pile up
     * (with a heap limit, it nears the limit).
     */
    long liveBytes() {
        return watching ? live.get() : -1;
    }

    /** The peak so far in bytes, or -1 when no collector reports its collections. */
    long bytes() {
        if (!watching) {
            return -1;
        }
        return Math.max(
                peak.get(),
                ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
    }
}

package org.recofilms.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HeapPeakTest {

    @Test
    void sumsTheHeapPoolsOfOneInstantAndIgnoresTheOthers() {
        HeapPeak peak = HeapPeak.watch();
        Map<String, MemoryUsage> before = new LinkedHashMap<>();
        long heap = 0;
        long mib = 1 << 20;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            long used = (pool.getType() == MemoryType.HEAP ? 4000 : 7000) * mib;
            before.put(pool.getName(), new MemoryUsage(0, used, used, -1));
            heap += pool.getType() == MemoryType.HEAP ? used : 0;
        }
        peak.record(before);
        assertTrue(heap > 0, "this JVM has heap pools");
        assertEquals(heap, peak.bytes(), "the heap pools' use at that collection, not the non-heap pools'");
    }

    @Test
    void aCollectedAllocationStillCountsInThePeak() {
        HeapPeak peak = HeapPeak.watch();
        long[] big = new long[32 << 20]; // 256 MiB
        big[big.length - 1] = 1;
        long held = big.length * 8L;
        big = null;
        System.gc();
        // the notification arrives on another thread
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (peak.bytes() < held && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertTrue(peak.bytes() >= held, "peak " + peak.bytes() + " covers the 256 MiB array freed before it");
        assertTrue(peak.bytes() <= Runtime.getRuntime().maxMemory(), "a real peak is never above the maximum heap");
    }
}

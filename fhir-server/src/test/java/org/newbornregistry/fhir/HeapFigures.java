package org.newbornregistry.fhir;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;

/**
 * What a benchmark's JVM did with its heap, for the heap goal: the most it may use, and what was
 * still in use after the collector's last pass (the live data). The sum of the pools' peaks is no
 * measure of it: each pool peaks at another moment, so the sum can exceed the maximum.
 */
public final class HeapFigures {

    private HeapFigures() {
    }

    /** One line: maximum heap, live heap after the last collection, and how many collections ran. */
    public static String describe() {
        long afterCollection = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            MemoryUsage collected = pool.getType() == MemoryType.HEAP ? pool.getCollectionUsage() : null;
            if (collected != null) {
                afterCollection += collected.getUsed();
            }
        }
        long collections = ManagementFactory.getGarbageCollectorMXBeans().stream().mapToLong(gc -> Math.max(0, gc.getCollectionCount())).sum();
        return String.format("heap: at most %,d MB; %,d MB in use after the last of %,d collections",
                Runtime.getRuntime().maxMemory() / (1024 * 1024), afterCollection / (1024 * 1024), collections);
    }
}

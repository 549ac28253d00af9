package dev.imagesim.embedding;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;

/**
 * Java's pool of direct buffers: DJL keeps every array it makes from Java data in one, and only a garbage
 * collection frees it, however long ago the array was closed.
 */
final class DirectBuffers {

    private DirectBuffers() {
    }

    /** The JVM's "direct" buffer pool. */
    static BufferPoolMXBean pool() {
        return ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                .filter(pool -> pool.getName().equals("direct")).findFirst()
                .orElseThrow(() -> new IllegalStateException("this JVM reports no direct buffer pool"));
    }
}

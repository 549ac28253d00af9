package dev.imagesim;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;

/** Threads for the service's background work: named daemon threads, which never hold up a shutdown. */
public final class DaemonThreads {

    private DaemonThreads() {
    }

    /** A factory of daemon threads, each called {@code name}. */
    public static ThreadFactory named(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    /** One daemon thread called {@code name} that runs the tasks in turn. */
    public static ExecutorService single(String name) {
        return Executors.newSingleThreadExecutor(named(name));
    }
}

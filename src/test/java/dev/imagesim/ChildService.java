package dev.imagesim;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The service in a child JVM over a data directory, on the test classpath, for tests that kill it
 * ({@link #kill()} sends SIGKILL) or measure its process. Output goes to {@code child-<n>.log} in the
 * data directory, so a failed start can be read.
 */
public final class ChildService implements AutoCloseable {

    private final Process process;
    private final int port;
    private final Path log;

    private ChildService(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Starts the child and waits until its readiness probe answers 200. */
    public static ChildService start(Path dataDir, List<String> jvmOptions, String... args) {
        return start(dataDir, jvmOptions, Map.of(), args);
    }

    /** Starts the child with extra environment variables (an empty value removes one) and waits until it is ready. */
    public static ChildService start(Path dataDir, List<String> jvmOptions, Map<String, String> environment,
            String... args) {
        int port = freePort();
        Path log = dataDir.resolve("child-" + System.nanoTime() + ".log");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(jvmOptions);
        ModuleLayer.boot().findModule("jdk.incubator.vector")
                .ifPresent(vector -> command.addAll(List.of("--add-modules", vector.getName())));
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(option -> option.equals("-XX:+UseTransparentHugePages")
                        || option.equals("-XX:+ExplicitGCInvokesConcurrent"))
                .forEach(command::add); // as this JVM was started
        System.getProperties().stringPropertyNames().stream().filter(name -> name.startsWith("imagesim."))
                .forEach(name -> command.add("-D" + name + "=" + System.getProperty(name))); // e.g. the native cache
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), ImagesimApplication.class.getName(),
                "--server.port=" + port, "--imagesim.data-dir=" + dataDir));
        command.addAll(TestDatabase.arguments(dataDir));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().put("OMP_WAIT_POLICY", "PASSIVE");
        environment.forEach((name, value) -> {
            if (value.isEmpty()) {
                builder.environment().remove(name);
            } else {
                builder.environment().put(name, value);
            }
        });
        try {
            ChildService child = new ChildService(builder.start(), port, log);
            child.awaitReady(Duration.ofMinutes(3));
            return child;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the child JVM", e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitReady(Duration timeout) {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the child exited with " + process.exitValue() + "; log:\n" + tail());
            }
            try {
                HttpResponse<Void> reply = http.send(HttpRequest.newBuilder(
                        URI.create(base() + "/actuator/health/readiness")).build(), HttpResponse.BodyHandlers.discarding());
                if (reply.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            sleep(200);
        }
        kill();
        throw new IllegalStateException("the child did not become ready in " + timeout + "; log:\n" + tail());
    }

    public String base() {
        return "http://127.0.0.1:" + port;
    }

    public ApiClient client() {
        return new ApiClient(base(), null);
    }

    public long pid() {
        return process.pid();
    }

    /** SIGKILL: no shutdown hook, no final snapshot, no flush. */
    public void kill() {
        process.destroyForcibly();
        waitFor();
    }

    /** SIGTERM: a graceful stop. */
    @Override
    public void close() {
        process.destroy();
        waitFor();
    }

    private void waitFor() {
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Everything the child has written so far. */
    public String output() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private String tail() {
        List<String> lines = output().lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

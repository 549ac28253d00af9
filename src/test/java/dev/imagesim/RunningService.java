package dev.imagesim;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The real application on a random port over a given data directory, in this JVM, driven over HTTP as an
 * {@link ApiClient}. Closing and starting it again over the same directory is a restart. The database is
 * H2 or PostgreSQL as {@link TestDatabase} says.
 */
public final class RunningService extends ApiClient implements AutoCloseable {

    private final ConfigurableApplicationContext context;

    private RunningService(ConfigurableApplicationContext context, String apiKey) {
        super("http://127.0.0.1:" + portOf(context), apiKey);
        this.context = context;
    }

    /**
     * Starts the service on a random port. Without {@code --server.address} it binds where the service
     * chooses by default (loopback when no API keys are configured).
     */
    public static RunningService start(Path dataDir, String... extraArgs) {
        return start(dataDir, TestDatabase.arguments(dataDir), extraArgs);
    }

    /** Starts the service on PostgreSQL ({@code postgres}) or H2, whatever the test run's database. */
    public static RunningService startOn(boolean postgres, Path dataDir, String... extraArgs) {
        return start(dataDir, TestDatabase.arguments(dataDir, postgres), extraArgs);
    }

    private static RunningService start(Path dataDir, List<String> databaseArgs, String... extraArgs) {
        List<String> args = new ArrayList<>(List.of("--server.port=0", "--imagesim.data-dir=" + dataDir));
        args.addAll(databaseArgs);
        args.addAll(List.of(extraArgs));
        return new RunningService(new SpringApplicationBuilder(ImagesimApplication.class)
                .run(args.toArray(String[]::new)), null);
    }

    /** The same service, sending {@code key} as {@code X-API-Key} with every request (null: no key). */
    public RunningService withKey(String key) {
        return new RunningService(context, key);
    }

    public int port() {
        return portOf(context);
    }

    private static int portOf(ConfigurableApplicationContext context) {
        return Integer.parseInt(context.getEnvironment().getRequiredProperty("local.server.port"));
    }

    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    @Override
    public void close() {
        context.close();
    }
}

package dev.imagesim;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Assumptions;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * Which database the HTTP tests run against: the embedded H2 file (default), or, with
 * {@code -Dimagesim.test.database=postgres}, a real PostgreSQL server. Where a Docker engine answers, that
 * server is a Testcontainers {@code postgres:15} container started once for the test JVM; elsewhere (or with
 * {@code -Dimagesim.test.postgres.container=false}) the server at {@code imagesim.test.postgres.url}
 * (default {@code jdbc:postgresql://127.0.0.1:5432/test}), as {@code imagesim.test.postgres.user} /
 * {@code .password} or the environment's {@code IMAGESIM_TEST_POSTGRES_USER} / {@code _PASSWORD}
 * ({@code .ci/run} sets those; default {@code postgres} without a password). Each data directory gets its own
 * fresh database, kept across restarts over that directory and dropped when the test JVM ends. Without a
 * reachable server the PostgreSQL run skips every such test and prints why, except under {@code CI=true},
 * where it fails them: a CI run that silently skipped its PostgreSQL suite would pass without testing it.
 */
public final class TestDatabase {

    private static final String KIND = System.getProperty("imagesim.test.database", "h2");
    private static final boolean CI = "true".equalsIgnoreCase(System.getenv("CI"));
    private static final Set<String> CREATED = ConcurrentHashMap.newKeySet();
    private static final AtomicBoolean WARNED = new AtomicBoolean();
    private static Server server;

    /** Where the PostgreSQL databases are made: an admin URL (its last path segment a database) and a user. */
    private record Server(String adminUrl, String user, String password) {

        Connection admin() throws SQLException {
            return DriverManager.getConnection(adminUrl, user, password);
        }

        String url(String database) {
            return adminUrl.substring(0, adminUrl.lastIndexOf('/') + 1) + database;
        }
    }

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(TestDatabase::dropCreated));
    }

    private TestDatabase() {
    }

    public static boolean postgres() {
        return KIND.equals("postgres");
    }

    /** The extra arguments that point the service at the database for {@code dataDir}. */
    static List<String> arguments(Path dataDir) {
        return arguments(dataDir, postgres());
    }

    /** The extra arguments that point the service at H2 or, with {@code postgres}, at PostgreSQL. */
    public static List<String> arguments(Path dataDir, boolean postgres) {
        if (!postgres) {
            return List.of();
        }
        Server target = server();
        String name = databaseName(dataDir);
        try (Connection admin = target.admin(); Statement sql = admin.createStatement()) {
            if (CREATED.add(name)) {
                sql.execute("DROP DATABASE IF EXISTS " + name);
                sql.execute("CREATE DATABASE " + name);
            }
        } catch (SQLException e) {
            String reason = "PostgreSQL run requested but no server answers at " + target.adminUrl() + " as "
                    + target.user() + " (" + e.getMessage() + ")";
            if (CI) {
                throw new IllegalStateException(reason + "; CI=true, so this fails instead of skipping", e);
            }
            if (WARNED.compareAndSet(false, true)) {
                System.err.println("SKIPPED: " + reason + "; skipping the PostgreSQL run");
            }
            Assumptions.abort(reason + "; skipping");
        }
        return List.of("--spring.profiles.active=postgres", "--spring.datasource.url=" + target.url(name),
                "--spring.datasource.username=" + target.user(), "--spring.datasource.password=" + target.password());
    }

    /** A JDBC connection to the catalog of {@code dataDir}, for tests that play a crash; the service must be stopped. */
    public static Connection connect(Path dataDir) throws SQLException {
        if (!postgres()) {
            return DriverManager.getConnection("jdbc:h2:file:" + dataDir.resolve("db/imagesim"), "sa", "");
        }
        Server target = server();
        return DriverManager.getConnection(target.url(databaseName(dataDir)), target.user(), target.password());
    }

    private static synchronized Server server() {
        if (server == null) {
            server = Boolean.parseBoolean(System.getProperty("imagesim.test.postgres.container", "true"))
                    && DockerClientFactory.instance().isDockerAvailable() ? container() : configured();
            System.err.println("PostgreSQL run: databases on " + server.adminUrl() + " as " + server.user());
        }
        return server;
    }

    private static Server configured() {
        return new Server(System.getProperty("imagesim.test.postgres.url", "jdbc:postgresql://127.0.0.1:5432/test"),
                setting("imagesim.test.postgres.user", "IMAGESIM_TEST_POSTGRES_USER", "postgres"),
                setting("imagesim.test.postgres.password", "IMAGESIM_TEST_POSTGRES_PASSWORD", ""));
    }

    /** A PostgreSQL 15 container for this JVM; Testcontainers removes it when the JVM ends. */
    @SuppressWarnings("resource")
    private static Server container() {
        PostgreSQLContainer postgres = new PostgreSQLContainer("postgres:15");
        postgres.start();
        return new Server("jdbc:postgresql://" + postgres.getHost() + ":" + postgres.getMappedPort(5432) + "/"
                + postgres.getDatabaseName(), postgres.getUsername(), postgres.getPassword());
    }

    private static String setting(String property, String environment, String fallback) {
        String value = System.getProperty(property, System.getenv(environment));
        return value == null ? fallback : value;
    }

    private static String databaseName(Path dataDir) {
        return "imagesim_" + digest(dataDir.toAbsolutePath().toString());
    }

    private static void dropCreated() {
        Server target;
        synchronized (TestDatabase.class) {
            target = server;
        }
        if (target == null || CREATED.isEmpty()) {
            return;
        }
        try (Connection admin = target.admin(); Statement sql = admin.createStatement()) {
            for (String name : CREATED) {
                sql.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            }
        } catch (SQLException e) {
            System.err.println("could not drop test databases " + CREATED + ": " + e.getMessage());
        }
    }

    private static String digest(String text) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

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

/**
 * Which database the HTTP tests run against: the embedded H2 file (default), or, with
 * {@code -Dimagesim.test.database=postgres}, a real PostgreSQL server ({@code imagesim.test.postgres.url},
 * default {@code jdbc:postgresql://127.0.0.1:5432/test}, user {@code postgres}). Each data directory gets its
 * own fresh database, kept across restarts over that directory and dropped when the test JVM ends. The
 * user and password come from {@code imagesim.test.postgres.user} / {@code .password} or the environment's
 * {@code IMAGESIM_TEST_POSTGRES_USER} / {@code _PASSWORD} ({@code .ci/run} sets those). Without a reachable
 * server the PostgreSQL run skips every such test and prints why, except under {@code CI=true}, where it
 * fails them: a CI run that silently skipped its PostgreSQL suite would pass without testing it.
 */
public final class TestDatabase {

    private static final String KIND = System.getProperty("imagesim.test.database", "h2");
    private static final String ADMIN_URL = System.getProperty("imagesim.test.postgres.url",
            "jdbc:postgresql://127.0.0.1:5432/test");
    private static final String USER = setting("imagesim.test.postgres.user", "IMAGESIM_TEST_POSTGRES_USER",
            "postgres");
    private static final String PASSWORD = setting("imagesim.test.postgres.password",
            "IMAGESIM_TEST_POSTGRES_PASSWORD", "");
    private static final boolean CI = "true".equalsIgnoreCase(System.getenv("CI"));
    private static final Set<String> CREATED = ConcurrentHashMap.newKeySet();
    private static final AtomicBoolean WARNED = new AtomicBoolean();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(TestDatabase::dropCreated));
    }

    private TestDatabase() {
    }

    private static String setting(String property, String environment, String fallback) {
        String value = System.getProperty(property, System.getenv(environment));
        return value == null ? fallback : value;
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
        String name = databaseName(dataDir);
        try (Connection admin = DriverManager.getConnection(ADMIN_URL, USER, PASSWORD);
                Statement sql = admin.createStatement()) {
            if (CREATED.add(name)) {
                sql.execute("DROP DATABASE IF EXISTS " + name);
                sql.execute("CREATE DATABASE " + name);
            }
        } catch (SQLException e) {
            String reason = "PostgreSQL run requested but no server answers at " + ADMIN_URL + " as " + USER
                    + " (" + e.getMessage() + ")";
            if (CI) {
                throw new IllegalStateException(reason + "; CI=true, so this fails instead of skipping", e);
            }
            if (WARNED.compareAndSet(false, true)) {
                System.err.println("SKIPPED: " + reason + "; skipping the PostgreSQL run");
            }
            Assumptions.abort(reason + "; skipping");
        }
        return List.of("--spring.profiles.active=postgres", "--spring.datasource.url=" + databaseUrl(dataDir),
                "--spring.datasource.username=" + USER, "--spring.datasource.password=" + PASSWORD);
    }

    /** A JDBC connection to the catalog of {@code dataDir}, for tests that play a crash; the service must be stopped. */
    public static Connection connect(Path dataDir) throws SQLException {
        if (!postgres()) {
            return DriverManager.getConnection("jdbc:h2:file:" + dataDir.resolve("db/imagesim"), "sa", "");
        }
        return DriverManager.getConnection(databaseUrl(dataDir), USER, PASSWORD);
    }

    private static String databaseUrl(Path dataDir) {
        return ADMIN_URL.substring(0, ADMIN_URL.lastIndexOf('/') + 1) + databaseName(dataDir);
    }

    private static String databaseName(Path dataDir) {
        return "imagesim_" + digest(dataDir.toAbsolutePath().toString());
    }

    private static void dropCreated() {
        try (Connection admin = DriverManager.getConnection(ADMIN_URL, USER, PASSWORD);
                Statement sql = admin.createStatement()) {
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

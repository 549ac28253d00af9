package dev.imagesim.bench;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import tools.jackson.databind.JsonNode;

import dev.imagesim.ApiClient;
import dev.imagesim.RunningService;

/** The full Fashion-MNIST from Debian's package (or a given directory), trained on through the service. */
final class FashionMnistJobs {

    private FashionMnistJobs() {
    }

    /** The IDX directory; skips the calling benchmark when it is not installed. */
    static Path directory() {
        Path fashion = location();
        assumeTrue(Files.isRegularFile(fashion.resolve("train-images-idx3-ubyte.gz")), missing(fashion));
        return fashion;
    }

    /** The IDX directory; fails the calling build, saying why, when it is not installed. */
    static Path requiredDirectory() {
        Path fashion = location();
        if (!Files.isRegularFile(fashion.resolve("train-images-idx3-ubyte.gz"))) {
            throw new IllegalStateException(missing(fashion) + "; nothing was written");
        }
        return fashion;
    }

    private static Path location() {
        return Path.of(System.getProperty("imagesim.bench.fashion-mnist", "/usr/share/datasets/fashion-mnist"));
    }

    private static String missing(Path fashion) {
        return "Fashion-MNIST not found at " + fashion + " (apt-get install dataset-fashion-mnist, or "
                + "-Dimagesim.bench.fashion-mnist=<a directory of its IDX .gz files>)";
    }

    /** A service whose dataset root holds the Fashion-MNIST directory. */
    static RunningService service(Path dataDir, Path fashion) {
        return RunningService.start(dataDir, "--imagesim.training.dataset-root=" + fashion.getParent());
    }

    /** Submits a training job, follows its events to the end and returns the succeeded job. */
    static JsonNode train(RunningService service, String request) {
        ApiClient.Reply submitted = service.postJson("/api/v1/training-jobs", request);
        if (submitted.status() != 202) {
            throw new IllegalStateException("job refused: " + submitted.json());
        }
        List<JsonNode> events = service.events("/api/v1/training-jobs/" + submitted.json().get("id").asString()
                + "/events", Duration.ofHours(3));
        JsonNode job = events.get(events.size() - 1);
        if (!job.get("state").asString().equals("succeeded")) {
            throw new IllegalStateException("job did not succeed: " + job);
        }
        return job;
    }
}

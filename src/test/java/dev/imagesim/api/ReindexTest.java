package dev.imagesim.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tools.jackson.databind.JsonNode;

import dev.imagesim.FashionMnistSubset;
import dev.imagesim.FashionMnistSubset.Sample;
import dev.imagesim.Multipart;
import dev.imagesim.RunningService;
import dev.imagesim.ApiClient.Reply;
import dev.imagesim.TestImages;

/**
 * Activating another model re-indexes a collection while it is searched and written: every search answers,
 * each from exactly one model (a query embedded by one model finds its own image at distance ~0 only in
 * that model's index), and after the swap everything, writes made during the re-index included, is in the
 * new model's index, also after a restart.
 */
class ReindexTest {

    @TempDir
    Path dataDir;

    private final List<Sample> samples = FashionMnistSubset.load();

    @Test
    void searchesDuringAReindexAlwaysUseOneModelAndTheSwapKeepsEveryWrite() throws Exception {
        FashionMnistSubset.copyTrainingSet(dataDir.resolve("datasets/fm"));
        String oldModel;
        try (RunningService service = RunningService.start(dataDir)) {
            oldModel = service.postJson("/api/v1/collections", "{\"name\":\"c\"}").json().get("model").asString();
            for (Sample s : samples.subList(0, 150)) {
                assertThat(put(service, s).status()).isEqualTo(201);
            }
            String job = service.postJson("/api/v1/training-jobs", """
                    {"dataset":{"type":"idx","path":"fm","maxImagesPerClass":20},
                     "trunk":{"architecture":"cnn","inputSize":28},"objective":{"type":"softmax"},
                     "embeddingDim":48,"epochs":1,"batch":{"p":4,"k":4},"modelId":"fm-small"}""")
                    .json().get("id").asString();
            List<JsonNode> events = service.events("/api/v1/training-jobs/" + job + "/events", Duration.ofMinutes(5));
            assertThat(events.get(events.size() - 1).get("state").asString()).isEqualTo("succeeded");

            Set<String> modelsSeen = ConcurrentHashMap.newKeySet();
            List<String> failures = new CopyOnWriteArrayList<>();
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger searches = new AtomicInteger();
            // the searches query images that stay: sample 3 is deleted during the re-index, after which its
            // nearest neighbour is another image
            List<Sample> kept = samples.subList(0, 150).stream().filter(s -> s != samples.get(3)).toList();
            Thread searcher = new Thread(() -> {
                int i = 0;
                while (!stop.get()) {
                    Sample s = kept.get(i++ % kept.size());
                    Reply reply = service.multipart("POST", "/api/v1/collections/c/search?k=1",
                            new Multipart().image("image", TestImages.encode(s.image(), "png")));
                    searches.incrementAndGet();
                    if (reply.status() != 200) {
                        failures.add("status " + reply.status() + ": " + reply.json());
                        continue;
                    }
                    modelsSeen.add(reply.json().get("model").asString());
                    double distance = reply.json().get("results").get(0).get("distance").asDouble();
                    if (distance > 1e-3) {
                        failures.add("query of " + s.id() + " nearest at " + distance + " with model "
                                + reply.json().get("model").asString());
                    }
                }
            });
            searcher.start();

            Reply started = service.postJson("/api/v1/collections/c/reindex", "{\"model\":\"fm-small\"}");
            assertThat(started.status()).isEqualTo(202);
            assertThat(started.json().get("total").asInt()).isEqualTo(150);
            assertThat(service.postJson("/api/v1/collections/c/reindex", "{\"model\":\"fm-small\"}").status())
                    .isIn(409, 202);
            for (Sample s : samples.subList(150, 170)) {
                assertThat(put(service, s).status()).isEqualTo(201);
            }
            assertThat(service.delete("/api/v1/collections/c/images/" + samples.get(3).id()).status()).isEqualTo(204);
            JsonNode status = awaitReindex(service);
            assertThat(status.get("state").asString()).as(status.toString()).isEqualTo("succeeded");
            int before = searches.get();
            while (searches.get() < before + 20) {
                Thread.sleep(20);
            }
            stop.set(true);
            searcher.join();

            assertThat(failures).isEmpty();
            assertThat(modelsSeen).contains("fm-small").isSubsetOf(Set.of(oldModel, "fm-small"));
            JsonNode collection = service.get("/api/v1/collections/c").json();
            assertThat(collection.get("model").asString()).isEqualTo("fm-small");
            assertThat(collection.get("dimension").asInt()).isEqualTo(48);
            assertThat(collection.get("size").asInt()).isEqualTo(169);
            assertSelfFound(service, samples.get(160));
        }
        try (RunningService service = RunningService.start(dataDir)) {
            assertThat(service.get("/api/v1/collections/c").json().get("size").asInt()).isEqualTo(169);
            assertSelfFound(service, samples.get(165));
            assertSelfFound(service, samples.get(10));
        }
    }

    private static Reply put(RunningService service, Sample s) {
        return service.multipart("PUT", "/api/v1/collections/c/images/" + s.id(), new Multipart()
                .image("image", TestImages.encode(s.image(), "png")));
    }

    private static void assertSelfFound(RunningService service, Sample s) {
        Reply reply = service.multipart("POST", "/api/v1/collections/c/search?k=1",
                new Multipart().image("image", TestImages.encode(s.image(), "png")));
        assertThat(reply.json().get("model").asString()).isEqualTo("fm-small");
        assertThat(reply.json().get("results").get(0).get("distance").asDouble()).isLessThan(1e-3);
    }

    private static JsonNode awaitReindex(RunningService service) throws InterruptedException {
        for (int i = 0; i < 3000; i++) {
            JsonNode status = service.get("/api/v1/collections/c/reindex").json();
            if (!status.get("state").asString().equals("running")) {
                return status;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("re-index did not finish");
    }
}

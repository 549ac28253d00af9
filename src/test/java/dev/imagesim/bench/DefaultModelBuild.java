package dev.imagesim.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.imagesim.RunningService;
import dev.imagesim.embedding.EmbeddingModel;
import dev.imagesim.embedding.EmbeddingModels;
import dev.imagesim.model.RetrievalMetrics;

/**
 * Makes the default model bundle shipped in {@code src/main/resources/models/default/} with the service's
 * own training pipeline and its default recipe (the request names only the objective, the trunk, the
 * embedding size and the split): triplet loss on every training image of Fashion-MNIST classes 0–5, with
 * shirt, sneaker, bag and ankle boot (6–9) held out, so that the manifest reports retrieval on classes the
 * model never saw; the job installs its best epoch by validation. Then it prints retrieval on the t10k test
 * images, which the README quotes. Not a test; run it when the recipe changes:
 *
 * <pre>
 * ./mvnw -Pdefault-model test [-Dimagesim.bench.fashion-mnist=/usr/share/datasets/fashion-mnist]
 * </pre>
 */
@Tag("build")
class DefaultModelBuild {

    static final String MODEL_ID = "fashion-mnist-cnn32-triplet-v2";

    static final String REQUEST = """
            {"dataset":{"type":"idx","path":"%s","heldOutClasses":["6","7","8","9"]},
             "trunk":{"architecture":"cnn","inputSize":32,"channels":1},
             "objective":{"type":"triplet"},"embeddingDim":64,"batch":{"p":6,"k":16},"seed":0,"modelId":"%s",
             "description":"Default model: a small 4-stage CNN on 32 px grayscale, 64-d, trained with the service's default triplet recipe (batch-hard, margin 0.2, flip and shift augmentation) on Fashion-MNIST classes 0-5; shirt, sneaker, bag and ankle boot held out. It knows clothing-like silhouettes; fine-tune it on your own images."}""";

    @TempDir
    Path dataDir;

    @Test
    void trainTheDefaultModel() throws IOException {
        Path fashion = FashionMnistJobs.requiredDirectory();
        try (RunningService service = FashionMnistJobs.service(dataDir, fashion)) {
            FashionMnistJobs.train(service, REQUEST.formatted(fashion.getFileName(), MODEL_ID));
            EmbeddingModel model = service.bean(EmbeddingModels.class).get(MODEL_ID);
            RetrievalMetrics seen = TestSplit.of(fashion, label -> label < 6).retrieval(model);
            RetrievalMetrics unseen = TestSplit.of(fashion, label -> label >= 6).retrieval(model);
            System.out.printf(Locale.ROOT, "t10k test images: seen classes 0-5 R@1 %.3f MAP@R %.3f; "
                    + "held-out classes 6-9 R@1 %.3f MAP@R %.3f%n", seen.recallAt1(), seen.mapAtR(),
                    unseen.recallAt1(), unseen.mapAtR());
        }
        Path bundle = dataDir.resolve("models").resolve(MODEL_ID);
        Path target = Path.of("src/main/resources/models/default");
        Files.createDirectories(target);
        for (String file : List.of("manifest.json", "model.params")) {
            Files.copy(bundle.resolve(file), target.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
        System.out.println("default bundle written to " + target.toAbsolutePath());
    }
}

package dev.imagesim.bench;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;

import dev.imagesim.embedding.EmbeddingModel;
import dev.imagesim.evaluation.RetrievalEvaluator;
import dev.imagesim.model.RetrievalMetrics;
import dev.imagesim.vector.Distance;
import dev.imagesim.training.data.IdxDataset;

/** Fashion-MNIST's t10k test images of some classes, and leave-one-out retrieval among them through a model. */
final class TestSplit {

    private final List<BufferedImage> images = new ArrayList<>();
    private final List<Integer> labels = new ArrayList<>();

    private TestSplit() {
    }

    /** The test images whose class the predicate accepts. */
    static TestSplit of(Path fashion, IntPredicate classes) {
        IdxDataset test = IdxDataset.read(fashion.resolve("t10k-images-idx3-ubyte.gz"));
        TestSplit split = new TestSplit();
        for (int i = 0; i < test.size(); i++) {
            if (classes.test(test.label(i))) {
                split.images.add(test.image(i));
                split.labels.add(test.label(i));
            }
        }
        return split;
    }

    /** Embeds every image as serving does and ranks the others by cosine distance. */
    RetrievalMetrics retrieval(EmbeddingModel model) {
        float[][] vectors = new float[images.size()][];
        for (int start = 0; start < images.size(); start += 256) {
            float[][] batch = model.embed(images.subList(start, Math.min(images.size(), start + 256)));
            System.arraycopy(batch, 0, vectors, start, batch.length);
        }
        return RetrievalEvaluator.evaluate(vectors, labels.stream().mapToInt(Integer::intValue).toArray(),
                Distance.COSINE);
    }
}

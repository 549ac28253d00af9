package dev.imagesim.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.util.Pair;

import tools.jackson.databind.json.JsonMapper;

import dev.imagesim.TestEngine;
import dev.imagesim.evaluation.RetrievalEvaluator;
import dev.imagesim.vector.Distance;
import dev.imagesim.model.Architecture;
import dev.imagesim.engine.DjlRuntime;
import dev.imagesim.model.ModelBundle;
import dev.imagesim.model.ModelLoader;
import dev.imagesim.model.ModelManifest;
import dev.imagesim.model.TrunkFactory;
import dev.imagesim.training.data.Augmentation;
import dev.imagesim.training.data.DatasetSpec;
import dev.imagesim.training.data.DatasetSplit;
import dev.imagesim.training.data.DatasetType;
import dev.imagesim.training.data.IdxDataset;
import dev.imagesim.training.data.ImageDataset;
import dev.imagesim.training.data.TensorBatches;
import dev.imagesim.training.objective.TripletMiner;

/**
 * Short CPU training runs on the committed Fashion-MNIST training subset (100 images per class), with
 * shirts, pullovers and T-shirts held out: classes the network never trains on and that are hard to tell
 * apart. Training must improve retrieval among them over the same network left untrained.
 */
class TrainingRunTest {

    private static final List<String> HELD_OUT = List.of("0", "2", "6");

    static DjlRuntime runtime;
    static ImageDataset dataset;
    private static final TrainingRequest.Objective TRIPLET = new TrainingRequest.Objective(ObjectiveType.TRIPLET, 0.2,
            TripletMiner.BATCH_HARD, true, null, null, null, null, null, null);

    static JsonMapper json = JsonMapper.builder().build();

    @TempDir
    Path work;

    @BeforeAll
    static void load() throws URISyntaxException {
        runtime = TestEngine.start();
        dataset = IdxDataset.read(Path.of(TrainingRunTest.class.getResource("/fashion-mnist/train").toURI()));
    }

    @Test
    void tripletTrainingImprovesRetrievalOnHeldOutClasses() throws IOException {
        // the baseline runs one epoch at a vanishing learning rate: the same network with batch-norm
        // statistics fitted to the data, so only learning separates the two
        TrainingRun.Result untrained = run(TRIPLET, 1e-9, 1, work.resolve("untrained"));
        TrainingRun.Result trained = run(TRIPLET, 2e-3, 4, work.resolve("trained"));
        double before = untrained.evaluation().heldOutClasses().mapAtR();
        double after = trained.evaluation().heldOutClasses().mapAtR();
        System.out.printf("held-out MAP@R %.3f -> %.3f, R@1 %.3f -> %.3f; seen R@1 %.3f -> %.3f%n", before, after,
                untrained.evaluation().heldOutClasses().recallAt1(), trained.evaluation().heldOutClasses().recallAt1(),
                untrained.evaluation().seenClasses().recallAt1(), trained.evaluation().seenClasses().recallAt1());
        // over seeds 1-8 and 42 the gain in held-out MAP@R was 0.067-0.118 and in seen R@1 0.057-0.243, while
        // held-out R@1 (300 queries) moved -0.013 to +0.053: MAP@R is the figure that tells
        assertThat(after).isGreaterThan(before + 0.05);
        assertThat(trained.evaluation().seenClasses().recallAt1())
                .isGreaterThan(untrained.evaluation().seenClasses().recallAt1());
        assertThat(trained.evaluation().verification().threshold()).isBetween(0.0, 2.0);
        assertThat(trained.reports()).hasSize(4);
    }

    @Test
    void selfSupervisedTrainingLearnsToPairTheTwoViewsOfEachImage() throws IOException {
        TrainingRequest.Objective selfSupervised = new TrainingRequest.Objective(ObjectiveType.SELF_SUPERVISED, null,
                null, null, null, null, null, null, 0.1, true);
        TrainingRun.Result result = run(selfSupervised, 2e-3, 4, work.resolve("self-supervised"),
                Augmentation.views(32));
        EpochReport first = result.reports().get(0);
        EpochReport last = result.reports().get(result.reports().size() - 1);
        System.out.printf("self-supervised loss %.3f -> %.3f, views not nearest their twin %.3f -> %.3f%n",
                first.loss(), last.loss(), first.activeFraction(), last.activeFraction());
        assertThat(last.loss()).isLessThan(first.loss() * 0.9);
        assertThat(last.activeFraction()).isLessThan(first.activeFraction());
    }

    @Test
    void theResultIsTheNetworkOfTheEpochSelectedOnValidation() throws IOException {
        TrainingRun.Result result = run(TRIPLET, 2e-3, 3, work.resolve("selected"));
        EpochReport selected = EpochReport.selected(result.reports()).orElseThrow();
        assertThat(result.evaluation().epoch()).isEqualTo(selected.epoch());
        assertThat(result.evaluation().heldOutClasses()).isEqualTo(selected.heldOutClasses());
        assertThat(result.reports()).allSatisfy(r -> assertThat(r.selectionScore()).isLessThanOrEqualTo(
                selected.selectionScore()));
        // the installed weights embed the held-out images exactly as the selected epoch's network did
        int[] heldOut = DatasetSplit.of(dataset, HELD_OUT, 0.1, null, 42).heldOut();
        try (NDManager manager = NDManager.newBaseManager()) {
            TensorBatches tensors = new TensorBatches(dataset, manifest());
            SplitEmbedder embedder = new SplitEmbedder(network(result.weights()), tensors, manager, 1, 32);
            int[] labels = tensors.labels(heldOut);
            assertThat(RetrievalEvaluator.evaluate(embedder.embed(heldOut), labels, Distance.COSINE).mapAtR())
                    .isCloseTo(selected.heldOutClasses().mapAtR(), within(1e-6));
        }
    }

    @Test
    void transferLearningKeepsFrozenStagesAndTrainsTheRest() throws IOException {
        TrainingRun.Result parentRun = run(TRIPLET, 2e-3, 1, work.resolve("parent"));
        Path parentDir = Files.createDirectories(work.resolve("parent-bundle"));
        Files.write(parentDir.resolve(ModelLoader.PARAMS_FILE), parentRun.weights());
        ModelBundle parent = new ModelBundle(parentDir, manifest().installed(ModelLoader.PARAMS_FILE, Instant.now()));

        TrainingRun.Result child = run(TRIPLET, 2e-3, 1, work.resolve("child"), parent, 2, Augmentation.NONE);

        SequentialBlock before = network(parentRun.weights());
        SequentialBlock after = network(child.weights());
        for (int stage = 0; stage < 4; stage++) {
            List<float[]> a = learnable(TrunkFactory.trunkOf(before).getChildren().get(stage).getValue());
            List<float[]> b = learnable(TrunkFactory.trunkOf(after).getChildren().get(stage).getValue());
            for (int i = 0; i < a.size(); i++) {
                if (stage < 2) {
                    assertThat(b.get(i)).as("frozen stage %d", stage).containsExactly(a.get(i));
                } else {
                    assertThat(b.get(i)).as("trained stage %d", stage).isNotEqualTo(a.get(i));
                }
            }
        }
    }

    private static SequentialBlock network(byte[] weights) throws IOException {
        SequentialBlock block = TrunkFactory.embeddingNetwork(Architecture.CNN, 64);
        NDManager manager = NDManager.newBaseManager();
        block.initialize(manager, DataType.FLOAT32, new Shape(1, 1, 32, 32));
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(weights))) {
            block.loadParameters(manager, in);
        } catch (MalformedModelException e) {
            throw new IOException(e);
        }
        return block;
    }

    /** Weights and biases, without batch-norm running statistics (which adapt even in frozen stages). */
    private static List<float[]> learnable(Block block) {
        List<float[]> values = new ArrayList<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            Parameter.Type type = p.getValue().getType();
            if (type != Parameter.Type.RUNNING_MEAN && type != Parameter.Type.RUNNING_VAR) {
                values.add(p.getValue().getArray().toFloatArray());
            }
        }
        return values;
    }

    private static ModelManifest manifest() {
        return new ModelManifest("test-model", null, Architecture.CNN, 32, 32, 1, new float[] {0.5f},
                new float[] {0.25f}, 64, Distance.COSINE, null, 42L, true, null, null, Instant.now(), null, null, null, null);
    }

    private TrainingRun.Result run(TrainingRequest.Objective objective, double learningRate, int epochs, Path directory)
            throws IOException {
        return run(objective, learningRate, epochs, directory, null, 0, Augmentation.NONE);
    }

    private TrainingRun.Result run(TrainingRequest.Objective objective, double learningRate, int epochs, Path directory,
            Augmentation augmentation) throws IOException {
        return run(objective, learningRate, epochs, directory, null, 0, augmentation);
    }

    private TrainingRun.Result run(TrainingRequest.Objective objective, double learningRate, int epochs, Path directory,
            ModelBundle parent, int freeze, Augmentation augmentation) throws IOException {
        TrainingRequest request = new TrainingRequest(
                new DatasetSpec(DatasetType.IDX, "train", null, HELD_OUT, 0.1, null),
                new TrainingRequest.Trunk(Architecture.CNN, parent == null ? null : parent.id(), freeze, 1.0, 32, 1),
                objective, 64, epochs, null, new TrainingRequest.Batch(7, 8), learningRate, LearningRateSchedule.COSINE,
                TrainingDevice.CPU, 42L, augmentation, "test-model", null);
        TrainingRun run = new TrainingRun(new TrainingPlan(request, manifest(), parent), dataset,
                new TrainingProperties(4, 100, 512, 2000, 0.01), directory, json,
                runtime.engine().getEngineName(), new ModelLoader(runtime));
        List<TrainingProgress> progress = new ArrayList<>();
        TrainingRun.Result result = run.run(new TrainingListener() {
            @Override
            public void progress(TrainingProgress p) {
                progress.add(p);
            }

            @Override
            public void epochFinished(EpochReport report, TrainingProgress p) {
                progress.add(p);
            }
        }, () -> false);
        assertThat(progress.get(progress.size() - 1).percent()).isEqualTo(100.0);
        assertThat(progress).extracting(TrainingProgress::percent).isSorted();
        return result;
    }
}

package dev.imagesim.training;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.util.Pair;

import tools.jackson.databind.json.JsonMapper;

import dev.imagesim.AtomicFiles;
import dev.imagesim.model.ModelEvaluation;
import dev.imagesim.evaluation.RetrievalEvaluator;
import dev.imagesim.model.RetrievalMetrics;
import dev.imagesim.evaluation.VerificationEvaluator;
import dev.imagesim.model.VerificationMetrics;
import dev.imagesim.evaluation.VerificationPairs;
import dev.imagesim.vector.Distance;
import dev.imagesim.model.Architecture;
import dev.imagesim.model.ModelLoader;
import dev.imagesim.model.ModelManifest;
import dev.imagesim.model.SeededInitializer;
import dev.imagesim.model.TrunkFactory;
import dev.imagesim.model.TorchScriptStages;
import dev.imagesim.model.TrunkWithHead;
import dev.imagesim.training.data.BatchSampler;
import dev.imagesim.training.data.DatasetSplit;
import dev.imagesim.training.data.ImageDataset;
import dev.imagesim.training.data.TensorBatches;
import dev.imagesim.training.objective.CenterLossObjective;
import dev.imagesim.training.objective.Objective;

/**
 * One training job's work: build the network (from scratch or from a parent model), train it epoch by
 * epoch with the requested objective, evaluate and checkpoint after each epoch, and finally calibrate the
 * verification threshold. The caller installs the result as a model.
 *
 * <p>Each iteration's arrays live in a sub-manager closed at the end of the iteration, so native memory
 * does not grow with the number of iterations.
 */
final class TrainingRun {

    /**
     * What a finished run leaves: the trained embedding network's weights (DJL parameters, or a TorchScript
     * archive for a fine-tuned TorchScript trunk), the file name they belong in, and the evaluation.
     */
    /**
     * @param weights     the trunk's weights at the selected epoch (the whole network for a DJL-built one)
     * @param weightsFile the file name the model keeps them under
     * @param head        the linear head's parameters after a TorchScript trunk, or null without one
     */
    record Result(byte[] weights, String weightsFile, byte[] head, ModelEvaluation evaluation,
            List<EpochReport> reports) {
    }

    private static final int VERIFICATION_PAIRS = 20_000;
    /** The embedding network's weights at the selected epoch, in the work directory, as the model gets them. */
    static final String BEST_WEIGHTS_FILE = "selected-weights";

    private final TrainingPlan plan;
    private final ImageDataset dataset;
    private final TrainingProperties properties;
    private final Path workDirectory;
    private final JsonMapper json;
    private final String engineName;
    private final ModelLoader loader;

    TrainingRun(TrainingPlan plan, ImageDataset dataset, TrainingProperties properties, Path workDirectory,
            JsonMapper json, String engineName, ModelLoader loader) {
        this.loader = loader;
        this.plan = plan;
        this.dataset = dataset;
        this.properties = properties;
        this.workDirectory = workDirectory;
        this.json = json;
        this.engineName = engineName;
    }

    Result run(TrainingListener listener, BooleanSupplier cancelled) throws IOException {
        TrainingRequest request = plan.request();
        ModelManifest manifest = plan.manifest();
        long seed = request.seed();
        DatasetSplit split = DatasetSplit.of(dataset, request.dataset().heldOutClasses(),
                request.dataset().validationFraction(), request.dataset().maxImagesPerClass(), seed);
        if (split.train().length < 2) {
            throw new TrainingFailure("the training split holds " + split.train().length + " images; at least 2 are needed");
        }
        Objective objective = ObjectiveFactory.create(request, dataset.classes().size());
        int batchSize = request.batch().p() * request.batch().k();
        BatchSampler sampler = objective.usesLabels()
                ? BatchSampler.pk(dataset, split.train(), request.batch().p(), request.batch().k(), seed)
                : objective.views() > 1 ? BatchSampler.views(split.train(), batchSize, objective.views(), seed)
                : BatchSampler.shuffled(split.train(), batchSize, seed);
        if (objective.usesLabels() && distinctLabels(split.train()) < 2) {
            throw new TrainingFailure("a " + request.objective().type().wireName()
                    + " objective needs at least two training classes");
        }
        TensorBatches tensors = new TensorBatches(dataset, manifest);
        // the weights draw from their own generator (SeededInitializer); libtorch's serves a denoising
        // objective's noise
        Engine.getEngine(engineName).setRandomSeed((int) seed);

        boolean torchscript = manifest.architecture() == Architecture.TORCHSCRIPT;
        try (Model source = torchscript ? loader.loadTrainable(plan.parent()) : null) {
            Block embedding = torchscript ? imported(source.getBlock())
                    : TrunkFactory.embeddingNetwork(manifest.architecture(), manifest.embeddingDim());
            return train(embedding, torchscript, objective, sampler, split, tensors, listener, cancelled);
        }
    }

    /**
     * The network to fine-tune from an imported TorchScript model: as it is, or its trunk under a new linear
     * head when the job asks for another embedding size than the model gives.
     */
    private Block imported(Block loaded) {
        ModelManifest manifest = plan.manifest();
        boolean keepsItsOutput = manifest.embeddingDim() == plan.parent().manifest().embeddingDim();
        if (keepsItsOutput) {
            return loaded;
        }
        return new TrunkWithHead(TorchScriptStages.trunkOf(loaded), manifest.head().inputDim(), manifest.embeddingDim());
    }

    private Result train(Block embedding, boolean torchscript, Objective objective, BatchSampler sampler,
            DatasetSplit split, TensorBatches tensors, TrainingListener listener, BooleanSupplier cancelled)
            throws IOException {
        TrainingRequest request = plan.request();
        ModelManifest manifest = plan.manifest();
        long seed = request.seed();
        int channels = manifest.channels();
        int size = manifest.inputSize();
        TrainingNetwork network = new TrainingNetwork(embedding, objective.head().orElse(null));
        network.setInitializer(new SeededInitializer(seed), Parameter.Type.WEIGHT);
        // a TorchScript module is all backbone but its linear head; a DJL network's backbone is its trunk
        Set<String> backbone = parameterIds(torchscript ? TorchScriptStages.trunkOf(embedding)
                : TrunkFactory.trunkOf(embedding));
        // a TorchScript module cannot be restored into a running trainer: its jobs restart when resumed
        Optional<Checkpoint> checkpoint = torchscript ? Optional.empty() : Checkpoint.read(workDirectory, json);
        int startEpoch = checkpoint.map(Checkpoint::epochsDone).orElse(0);
        long iterations = (long) sampler.batchesPerEpoch();
        GroupLearningRate rate = new GroupLearningRate(request.learningRate().floatValue(),
                request.trunk().backboneLearningRateMultiplier().floatValue(), backbone, request.schedule(),
                startEpoch * iterations, request.epochs() * iterations);
        Device device = device(request.device());
        try (Model model = Model.newInstance("training", device, engineName)) {
            model.setBlock(network);
            try (Trainer trainer = newTrainer(model, rate, device)) {
                int batchSize = sampler.epoch(0).get(0).length;
                trainer.initialize(new Shape(batchSize, channels, size, size));
                if (torchscript) {
                    TorchScriptStages.freeze(TorchScriptStages.trunkOf(embedding), request.trunk().freezeStages());
                } else {
                    if (plan.parent() != null) {
                        copyParent(embedding);
                    }
                    freeze(TrunkFactory.trunkOf(embedding), request.trunk().freezeStages());
                }
                List<EpochReport> reports = new ArrayList<>();
                if (checkpoint.isPresent()) {
                    checkpoint.get().restore(workDirectory, network, model.getNDManager());
                    if (objective instanceof CenterLossObjective center && checkpoint.get().centres() != null) {
                        center.restoreCentres(checkpoint.get().centres());
                    }
                    reports.addAll(checkpoint.get().reports());
                }
                SplitEmbedder embedder = new SplitEmbedder(embedding, tensors, trainer.getManager(), channels, size);
                int[] validation = DatasetSplit.sample(split.validation(), properties.maxEvaluationImages(), seed);
                int[] heldOut = DatasetSplit.sample(split.heldOut(), properties.maxEvaluationImages(), seed);
                Meter meter = new Meter(request.epochs(), sampler.batchesPerEpoch(), startEpoch);
                TrainingStep step = new TrainingStep(trainer, objective);
                int[] verificationImages = validation.length > 0 ? validation : heldOut;
                Path bestWeights = workDirectory.resolve(BEST_WEIGHTS_FILE);
                VerificationMetrics bestVerification = checkpoint.map(Checkpoint::verification).orElse(null);
                for (int epoch = startEpoch;
                        epoch < request.epochs() && !EpochReport.stalled(reports, request.patience()); epoch++) {
                    EpochReport trained = trainEpoch(step, sampler, tensors, epoch, meter, listener, cancelled,
                            new Shape(channels, size, size));
                    long evaluationStarted = System.nanoTime();
                    embedder.weightsChanged();
                    RetrievalMetrics seen = retrieval(embedder, validation);
                    RetrievalMetrics unseen = retrieval(embedder, heldOut);
                    boolean byClasses = objective.views() == 1 && dataset.classes().size() > 1;
                    if (improves(reports, trained.evaluated(seen, unseen, 0, byClasses))) {
                        bestVerification = keep(embedding, torchscript, bestWeights, embedder, verificationImages);
                    }
                    EpochReport report = trained.evaluated(seen, unseen, (System.nanoTime() - evaluationStarted) / 1e9,
                            byClasses);
                    reports.add(report);
                    if (!torchscript) {
                        Checkpoint.write(workDirectory, json, network, epoch + 1,
                                objective instanceof CenterLossObjective center ? center.centres() : null, reports,
                                bestVerification);
                    }
                    listener.epochFinished(report, meter.progress(epoch + 1, sampler.batchesPerEpoch(), report.loss(),
                            report.activeFraction()));
                }
                if (!Files.isRegularFile(bestWeights)) {
                    // resumed from a checkpoint written before jobs kept their selected epoch, with no epoch left
                    bestVerification = keep(embedding, torchscript, bestWeights, embedder, verificationImages);
                }
                EpochReport selected = EpochReport.selected(reports).orElseThrow();
                ModelEvaluation evaluation = new ModelEvaluation(selected.seenClasses(), selected.heldOutClasses(),
                        bestVerification, selected.epoch());
                Path bestHead = headFile(bestWeights);
                return new Result(Files.readAllBytes(bestWeights),
                        torchscript ? ModelLoader.TORCHSCRIPT_FILE : ModelLoader.PARAMS_FILE,
                        Files.isRegularFile(bestHead) ? Files.readAllBytes(bestHead) : null, evaluation, reports);
            }
        }
    }

    /** A trainer of the model's block with Adam at the given rates, as every job trains. */
    static Trainer newTrainer(Model model, GroupLearningRate rate, Device device) {
        // The objectives compute their own loss; DJL's config requires a Loss object, which stays unused.
        return model.newTrainer(new DefaultTrainingConfig(Loss.l2Loss()).optOptimizer(new TorchAdam(rate))
                .optDevices(new Device[] {device}));
    }

    /** Keeps the network as it is now as the job's result: its weights in {@code file}; returns its verification. */
    private VerificationMetrics keep(Block embedding, boolean torchscript, Path file, SplitEmbedder embedder,
            int[] verificationImages) throws IOException {
        byte[] weights = torchscript ? torchScript((PtSymbolBlock) TorchScriptStages.trunkOf(embedding))
                : weights(embedding);
        if (embedding instanceof TrunkWithHead withHead) {
            byte[] head = weights(withHead.head());
            AtomicFiles.write(headFile(file), out -> out.write(head));
        }
        AtomicFiles.write(file, out -> out.write(weights));
        return verification(embedder, verificationImages, plan.request().seed());
    }

    private static Path headFile(Path weights) {
        return weights.resolveSibling(weights.getFileName() + "-head");
    }

    /** Whether {@code candidate} would be the selected epoch after {@code earlier}. */
    private static boolean improves(List<EpochReport> earlier, EpochReport candidate) {
        List<EpochReport> all = new ArrayList<>(earlier);
        all.add(candidate);
        return EpochReport.selected(all).orElseThrow().epoch() == candidate.epoch();
    }

    private EpochReport trainEpoch(TrainingStep step, BatchSampler sampler, TensorBatches tensors, int epoch,
            Meter meter, TrainingListener listener, BooleanSupplier cancelled, Shape imageShape) {
        List<int[]> batches = sampler.epoch(epoch);
        double lossSum = 0;
        double activeSum = 0;
        int activeCount = 0;
        long started = System.nanoTime();
        meter.epochStarted();
        for (int i = 0; i < batches.size(); i++) {
            if (cancelled.getAsBoolean()) {
                throw new CancellationException("cancelled at epoch " + (epoch + 1) + ", iteration " + i);
            }
            int[] batch = batches.get(i);
            int[] labels = tensors.labels(batch);
            TrainingStep.Outcome outcome;
            try (NDManager scope = step.manager().newSubManager()) {
                NDArray clean = scope.create(
                        tensors.augmented(batch, plan.request().augmentation(), plan.request().seed() * 7919 + epoch * 100_003L + i),
                        new Shape(batch.length, imageShape.get(0), imageShape.get(1), imageShape.get(2)));
                outcome = step.run(clean, labels);
            }
            float loss = outcome.loss();
            if (!Float.isFinite(loss)) {
                throw new TrainingFailure("the loss became " + loss + " at epoch " + (epoch + 1) + ", iteration "
                        + (i + 1) + "; lower the learning rate");
            }
            if (!Double.isNaN(outcome.activeFraction())) {
                activeSum += outcome.activeFraction();
                activeCount++;
            }
            lossSum += loss;
            meter.iterationDone(batch.length);
            listener.progress(meter.progress(epoch + 1, i + 1, lossSum / (i + 1),
                    activeCount == 0 ? null : activeSum / activeCount));
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        return EpochReport.trained(epoch + 1, lossSum / batches.size(),
                activeCount == 0 ? null : activeSum / activeCount, seconds);
    }

    private RetrievalMetrics retrieval(SplitEmbedder embedder, int[] indices) {
        if (indices.length < 2 || distinctLabels(indices) < 2) {
            return null;
        }
        return RetrievalEvaluator.evaluate(embedder.embed(indices), labels(indices), Distance.COSINE);
    }

    private VerificationMetrics verification(SplitEmbedder embedder, int[] indices, long seed) {
        if (indices.length < 2 || distinctLabels(indices) < 2) {
            return null;
        }
        VerificationPairs pairs = VerificationPairs.sample(embedder.embed(indices), labels(indices), Distance.COSINE,
                VERIFICATION_PAIRS, seed);
        if (pairs.positive().length == 0) {
            return null;
        }
        return VerificationEvaluator.evaluate(pairs.positive(), pairs.negative(), properties.targetFalseAcceptRate());
    }

    /** Copies the parent model's weights: the whole network when the head fits, else the trunk only. */
    private void copyParent(Block embedding) throws IOException {
        ModelManifest parent = plan.parent().manifest();
        try (Model parentModel = loader.load(plan.parent())) {
            Block source = parentModel.getBlock();
            boolean sameHead = parent.embeddingDim() == plan.manifest().embeddingDim();
            copy(sameHead ? source : TrunkFactory.trunkOf(source), sameHead ? embedding : TrunkFactory.trunkOf(embedding));
        }
    }

    private static void copy(Block from, Block to) {
        List<Pair<String, Parameter>> source = from.getParameters().stream().toList();
        List<Pair<String, Parameter>> target = to.getParameters().stream().toList();
        if (source.size() != target.size()) {
            throw new TrainingFailure("the parent model's parameters do not match the network");
        }
        for (int i = 0; i < source.size(); i++) {
            NDArray value = source.get(i).getValue().getArray();
            NDArray into = target.get(i).getValue().getArray();
            if (!value.getShape().equals(into.getShape())) {
                throw new TrainingFailure("parameter " + target.get(i).getKey() + " has shape " + into.getShape()
                        + " but the parent's is " + value.getShape());
            }
            into.set(value.toFloatArray());
        }
    }

    private static void freeze(Block trunk, int stages) {
        for (int i = 0; i < stages; i++) {
            trunk.getChildren().get(i).getValue().freezeParameters(true);
        }
    }

    private static Set<String> parameterIds(Block block) {
        Set<String> ids = new HashSet<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            ids.add(p.getValue().getId());
        }
        return ids;
    }

    /** The fine-tuned module as a plain TorchScript archive, loadable like any {@code .pt} file. */
    private static byte[] torchScript(PtSymbolBlock module) {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        JniUtils.writeModule(module, bytes, false);
        return bytes.toByteArray();
    }

    private static byte[] weights(Block embedding) throws IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(bytes))) {
            embedding.saveParameters(out);
        }
        return bytes.toByteArray();
    }

    private int distinctLabels(int[] indices) {
        return (int) java.util.Arrays.stream(labels(indices)).distinct().count();
    }

    private int[] labels(int[] indices) {
        int[] labels = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            labels[i] = dataset.label(indices[i]);
        }
        return labels;
    }

    private Device device(TrainingDevice requested) {
        boolean gpu = Engine.getEngine(engineName).getGpuCount() > 0;
        if (requested == TrainingDevice.GPU && !gpu) {
            throw new TrainingFailure("device gpu was requested but the engine sees no GPU");
        }
        return requested != TrainingDevice.CPU && gpu ? Device.gpu() : Device.cpu();
    }

    /**
     * Throughput and ETA over the iterations of this run (a resumed run measures afresh). The throughput counts
     * the training iterations' time alone; the ETA, all of the time so far, evaluations included.
     */
    private static final class Meter {
        private final int epochs;
        private final int iterationsPerEpoch;
        private final long totalIterations;
        private final long started = System.nanoTime();
        private long iterations;
        private long samples;
        private long done;
        private long trainingNanos;
        private long mark;

        Meter(int epochs, int iterationsPerEpoch, int startEpoch) {
            this.epochs = epochs;
            this.iterationsPerEpoch = iterationsPerEpoch;
            this.totalIterations = (long) epochs * iterationsPerEpoch;
            this.done = (long) startEpoch * iterationsPerEpoch;
        }

        void epochStarted() {
            mark = System.nanoTime();
        }

        void iterationDone(int batchSize) {
            long now = System.nanoTime();
            trainingNanos += now - mark;
            mark = now;
            iterations++;
            done++;
            samples += batchSize;
        }

        TrainingProgress progress(int epoch, int iteration, Double loss, Double activeFraction) {
            double seconds = (System.nanoTime() - started) / 1e9;
            Long eta = iterations == 0 ? null : Math.round(seconds / iterations * (totalIterations - done));
            return new TrainingProgress(100.0 * done / totalIterations, epoch, epochs, iteration, iterationsPerEpoch,
                    loss, activeFraction, trainingNanos > 0 ? samples / (trainingNanos / 1e9) : 0, eta);
        }
    }
}

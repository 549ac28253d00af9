package dev.imagesim.training;

import java.io.IOException;
import java.time.Instant;

import org.springframework.stereotype.Component;

import ai.djl.engine.Engine;

import dev.imagesim.ImagesimException;
import dev.imagesim.ImagesimException.Kind;
import dev.imagesim.vector.Distance;
import dev.imagesim.model.Architecture;
import dev.imagesim.model.EmbeddingHead;
import dev.imagesim.model.ModelBundle;
import dev.imagesim.model.ModelLoader;
import dev.imagesim.model.ModelManifest;
import dev.imagesim.model.ModelRegistry;
import dev.imagesim.model.TrunkFactory;
import dev.imagesim.training.TrainingRequest.Batch;
import dev.imagesim.training.TrainingRequest.Objective;
import dev.imagesim.training.TrainingRequest.Trunk;
import dev.imagesim.training.data.Augmentation;
import dev.imagesim.training.data.DatasetLoader;
import dev.imagesim.training.data.DatasetSpec;
import dev.imagesim.training.data.DatasetType;
import dev.imagesim.training.objective.Noise;
import dev.imagesim.training.objective.TripletMiner;

/**
 * Checks a training request before it is queued and fills in its defaults, so that a job that starts has
 * everything it needs and a bad request is answered with a 4xx at once instead of a failed job later.
 */
@Component
public class TrainingPlanner {

    private static final float[] IMAGENET_MEAN = {0.485f, 0.456f, 0.406f};
    private static final float[] IMAGENET_STD = {0.229f, 0.224f, 0.225f};

    private final ModelRegistry registry;
    private final ModelLoader loader;
    private final DatasetLoader datasets;
    private final TrainingProperties properties;

    public TrainingPlanner(ModelRegistry registry, DatasetLoader datasets, TrainingProperties properties,
            ModelLoader loader) {
        this.registry = registry;
        this.loader = loader;
        this.datasets = datasets;
        this.properties = properties;
    }

    /**
     * @param request      as the client sent it
     * @param defaultModel id to give the produced model when the request names none
     */
    public TrainingPlan plan(TrainingRequest request, String defaultModel) {
        require(request != null, "the request body is required");
        DatasetSpec dataset = request.dataset();
        require(dataset != null && dataset.type() != null, "dataset.type is required");
        require(request.objective() != null && request.objective().type() != null, "objective.type is required");
        datasets.check(dataset);

        Trunk trunkIn = request.trunk() == null ? new Trunk(null, null, null, null, null, null) : request.trunk();
        ModelBundle parent = trunkIn.from() == null ? null : registry.find(trunkIn.from()).orElseThrow(() ->
                ImagesimException.notFound("model-not-found", "trunk.from names no installed model: " + trunkIn.from()));
        ModelManifest base = parent == null ? null : parent.manifest();
        Architecture architecture = base != null ? base.architecture()
                : trunkIn.architecture() != null ? trunkIn.architecture() : Architecture.CNN;
        require(trunkIn.architecture() == null || trunkIn.architecture() == architecture,
                "trunk.architecture must match the architecture of trunk.from (" + architecture + ")");
        if (architecture == Architecture.ONNX) {
            throw new ImagesimException(Kind.UNPROCESSABLE, "model-not-trainable", "model " + trunkIn.from()
                    + " is an ONNX graph, which serves but cannot be trained: import it as TorchScript to fine-tune it");
        }
        boolean torchscript = architecture == Architecture.TORCHSCRIPT;
        require(!torchscript || parent != null,
                "a TorchScript trunk can only be trained starting from an installed model (trunk.from)");
        int inputSize = base != null ? base.inputSize() : orDefault(trunkIn.inputSize(),
                architecture == Architecture.CNN || architecture == Architecture.MLP ? 32 : 224);
        int channels = base != null ? base.channels()
                : orDefault(trunkIn.channels(), dataset.type() == DatasetType.IDX ? 1 : 3);
        require(trunkIn.inputSize() == null || base == null || trunkIn.inputSize() == inputSize,
                "trunk.inputSize must match the model it starts from (" + inputSize + ")");
        require(inputSize >= architecture.minInputSize() && inputSize <= 512,
                "trunk.inputSize must be in [" + architecture.minInputSize() + ", 512] for " + architecture);
        require(channels == 1 || channels == 3, "trunk.channels must be 1 or 3");
        int freeze = orDefault(trunkIn.freezeStages(), 0);
        // a TorchScript module's stages are its top-level submodules, counted only when some are to be frozen
        int stages = !torchscript ? TrunkFactory.trunk(architecture).getChildren().size()
                : freeze > 0 ? torchScriptStages(parent) : 0;
        require(freeze >= 0 && freeze <= stages, "trunk.freezeStages must be in [0, " + stages + "] for " + architecture);
        double multiplier = trunkIn.backboneLearningRateMultiplier() != null ? trunkIn.backboneLearningRateMultiplier()
                : parent != null ? 0.1 : 1.0;
        require(multiplier >= 0 && multiplier <= 10, "trunk.backboneLearningRateMultiplier must be in [0, 10]");
        Trunk trunk = new Trunk(architecture, trunkIn.from(), freeze, multiplier, inputSize, channels);

        int dim = orDefault(request.embeddingDim(), base != null ? base.embeddingDim() : 128);
        require(dim >= 2 && dim <= 4096, "embeddingDim must be in [2, 4096]");
        int epochs = orDefault(request.epochs(), 5);
        require(epochs >= 1 && epochs <= properties.maxEpochs(), "epochs must be in [1, " + properties.maxEpochs() + "]");
        require(request.patience() == null || request.patience() >= 1, "patience must be at least 1");
        Batch batch = request.batch() == null ? new Batch(8, 16) : request.batch();
        ObjectiveType type = request.objective().type();
        require(batch.p() >= (type.labelled() ? 2 : 1) && batch.k() >= (type.labelled() ? 2 : 1),
                "batch.p and batch.k must be at least 2 (a batch needs positives and negatives)");
        require((long) batch.p() * batch.k() <= properties.maxBatchSize(),
                "batch.p × batch.k must be at most " + properties.maxBatchSize());
        // the rate that ranks unseen classes best (docs/benchmarks.md): 3e-4 for triplet jobs, 1e-3 for the others
        double learningRate = request.learningRate() != null ? request.learningRate()
                : type == ObjectiveType.TRIPLET ? 3e-4 : 1e-3;
        require(learningRate > 0 && learningRate <= 1, "learningRate must be in (0, 1]");
        TrainingDevice device = request.device() == null ? TrainingDevice.AUTO : request.device();
        if (device == TrainingDevice.GPU && Engine.getInstance().getGpuCount() == 0) {
            throw new ImagesimException(Kind.UNPROCESSABLE, "gpu-unavailable",
                    "device gpu was requested but the engine sees no GPU (use auto or cpu, or the cuda build)");
        }
        // on by default: every objective ranked unseen classes better with it (docs/benchmarks.md)
        Augmentation augmentation = request.augmentation() != null ? request.augmentation()
                : type == ObjectiveType.SELF_SUPERVISED ? Augmentation.views(inputSize) : Augmentation.DEFAULT;
        require(augmentation.cropPadding() >= 0 && augmentation.cropPadding() <= inputSize / 4,
                "augmentation.cropPadding must be in [0, inputSize/4]");
        require(augmentation.cropScale() == null || (augmentation.cropScale() > 0 && augmentation.cropScale() <= 1),
                "augmentation.cropScale must be in (0, 1]");
        String modelId = request.modelId() != null ? request.modelId() : defaultModel;
        if (!registry.isFree(modelId)) {
            throw new ImagesimException(registry.find(modelId).isPresent() ? Kind.CONFLICT : Kind.INVALID,
                    "model-id-unavailable", "modelId '" + modelId + "' is taken or not a valid model id");
        }
        DatasetSpec datasetOut = new DatasetSpec(dataset.type(), dataset.path(), dataset.labelKey(),
                dataset.heldOutClasses(), dataset.validationFractionOrDefault(), dataset.maxImagesPerClass());
        require(dataset.maxImagesPerClass() == null || dataset.maxImagesPerClass() >= 1,
                "dataset.maxImagesPerClass must be at least 1");
        require(datasetOut.validationFraction() >= 0 && datasetOut.validationFraction() < 1,
                "dataset.validationFraction must be in [0, 1)");
        LearningRateSchedule schedule = request.schedule() == null ? LearningRateSchedule.COSINE : request.schedule();
        long seed = request.seed() == null ? 42L : request.seed();
        TrainingRequest resolved = new TrainingRequest(datasetOut, trunk, objective(request.objective(), augmentation), dim, epochs,
                request.patience(), batch, learningRate, schedule, device, seed, augmentation, modelId,
                request.description());
        return new TrainingPlan(resolved, manifest(resolved, base, parent, head(base, dim)), parent);
    }

    private static Objective objective(Objective in, Augmentation augmentation) {
        ObjectiveType type = in.type();
        double margin = in.margin() != null ? in.margin() : type == ObjectiveType.CONTRASTIVE ? 0.5 : 0.2;
        require(margin > 0 && margin <= 4, "objective.margin must be in (0, 4]");
        double lambda = in.lambda() == null ? 0.01 : in.lambda();
        require(lambda >= 0 && lambda <= 100, "objective.lambda must be in [0, 100]");
        double alpha = in.alpha() == null ? 0.5 : in.alpha();
        require(alpha > 0 && alpha <= 1, "objective.alpha must be in (0, 1]");
        double noiseLevel = in.noiseLevel() == null ? 0.3 : in.noiseLevel();
        require(noiseLevel > 0 && noiseLevel < 1 || type != ObjectiveType.DENOISING_AUTOENCODER,
                "objective.noiseLevel must be in (0, 1)");
        double temperature = in.temperature() == null ? 0.1 : in.temperature();
        require(temperature > 0 && temperature <= 1, "objective.temperature must be in (0, 1]");
        return switch (type) {
            // plain distances: on squared ones the gradient vanishes as embeddings draw together, so a job that
            // drifts towards collapse stays there (docs/benchmarks.md)
            case TRIPLET -> new Objective(type, margin, in.miner() == null ? TripletMiner.BATCH_HARD : in.miner(),
                    in.squared() != null && in.squared(), null, null, null, null, null, null);
            case CONTRASTIVE -> new Objective(type, margin, null, null, null, null, null, null, null, null);
            case CENTER -> new Objective(type, null, null, null, lambda, alpha, null, null, null, null);
            case DENOISING_AUTOENCODER -> new Objective(type, null, null, null, null, null,
                    in.noise() == null ? Noise.GAUSSIAN : in.noise(), noiseLevel, null, null);
            // copies are told apart by what survives their edits, which a projection head would absorb
            case SELF_SUPERVISED -> new Objective(type, null, null, null, null, null, null, null, temperature,
                    in.projectionHead() != null ? in.projectionHead() : !augmentation.copyEdits());
            case SOFTMAX, AUTOENCODER -> new Objective(type, null, null, null, null, null, null, null, null, null);
        };
    }

    /**
     * The linear head a TorchScript trunk needs for {@code dim}: none when its output is the embedding, the
     * parent's when the size stays, else a new one on the trunk's output.
     */
    private static EmbeddingHead head(ModelManifest base, int dim) {
        if (base == null || base.architecture() != Architecture.TORCHSCRIPT) {
            return null;
        }
        if (dim == base.embeddingDim()) {
            return base.head();
        }
        return new EmbeddingHead(base.head() != null ? base.head().inputDim() : base.embeddingDim(),
                EmbeddingHead.FILE);
    }

    private int torchScriptStages(ModelBundle parent) {
        try {
            return loader.torchScriptStages(parent).size();
        } catch (IOException e) {
            throw new ImagesimException(Kind.UNAVAILABLE, "model-load-failed", e.getMessage(), e);
        }
    }

    private static ModelManifest manifest(TrainingRequest r, ModelManifest base, ModelBundle parent,
            EmbeddingHead head) {
        Trunk trunk = r.trunk();
        int channels = trunk.channels();
        boolean small = trunk.architecture() == Architecture.CNN || trunk.architecture() == Architecture.MLP;
        float[] mean = base != null ? base.mean() : channels == 1 ? new float[] {0.5f} : IMAGENET_MEAN;
        float[] std = base != null ? base.std() : channels == 1 ? new float[] {0.25f} : IMAGENET_STD;
        int resize = base != null ? base.resizeSize() : small ? trunk.inputSize() : Math.round(trunk.inputSize() * 8f / 7);
        String description = r.description() != null ? r.description()
                : r.objective().type().wireName() + " fine-tuning of " + trunk.architecture().name().toLowerCase()
                        + " on " + r.dataset().type().name().toLowerCase() + " dataset '" + r.dataset().path() + "'";
        return new ModelManifest(r.modelId(), description, trunk.architecture(), trunk.inputSize(), resize, channels,
                mean, std, r.embeddingDim(), Distance.COSINE, null, r.seed(), true, null,
                parent == null ? null : parent.id(), Instant.now(), null, null, null, head);
    }

    private static int orDefault(Integer value, int fallback) {
        return value == null ? fallback : value;
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw ImagesimException.invalid("training-request-invalid", message);
        }
    }
}

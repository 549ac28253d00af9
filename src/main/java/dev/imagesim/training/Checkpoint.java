package dev.imagesim.training;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;

import tools.jackson.databind.json.JsonMapper;

import dev.imagesim.AtomicFiles;
import dev.imagesim.model.VerificationMetrics;

/**
 * The state of a job after an epoch, in its work directory: the training network's parameters in
 * {@code epoch-N.params} and {@code checkpoint.json} naming them. The JSON is written last, so it never
 * points at a half-written parameter file. Optimiser moments are not kept: a resumed job restarts Adam's
 * running averages, which costs a few iterations of warm-up, not correctness.
 *
 * @param epochsDone   epochs finished
 * @param paramsFile   parameter file of the training network after those epochs
 * @param centres      center-loss centres, or null for other objectives
 * @param reports      the finished epochs' reports
 * @param verification verification on the selected epoch's network (whose weights are kept beside, in
 *                     {@link TrainingRun#BEST_WEIGHTS_FILE}), null before any epoch was selected
 */
record Checkpoint(int epochsDone, String paramsFile, float[][] centres, List<EpochReport> reports,
        VerificationMetrics verification) {

    private static final String FILE = "checkpoint.json";

    static Optional<Checkpoint> read(Path workDirectory, JsonMapper json) throws IOException {
        Path file = workDirectory.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try (InputStream in = Files.newInputStream(file)) {
            return Optional.of(json.readValue(in, Checkpoint.class));
        }
    }

    static Checkpoint write(Path workDirectory, JsonMapper json, Block network, int epochsDone, float[][] centres,
            List<EpochReport> reports, VerificationMetrics verification) throws IOException {
        Files.createDirectories(workDirectory);
        String paramsFile = "epoch-" + epochsDone + ".params";
        AtomicFiles.write(workDirectory.resolve(paramsFile), out -> {
            DataOutputStream data = new DataOutputStream(new BufferedOutputStream(out));
            network.saveParameters(data);
            data.flush();
        });
        Checkpoint checkpoint = new Checkpoint(epochsDone, paramsFile, centres, List.copyOf(reports), verification);
        AtomicFiles.write(workDirectory.resolve(FILE), out -> json.writeValue(out, checkpoint));
        Files.deleteIfExists(workDirectory.resolve("epoch-" + (epochsDone - 1) + ".params"));
        return checkpoint;
    }

    void restore(Path workDirectory, Block network, NDManager manager) throws IOException {
        try (DataInputStream in = new DataInputStream(
                new BufferedInputStream(Files.newInputStream(workDirectory.resolve(paramsFile))))) {
            network.loadParameters(manager, in);
        } catch (MalformedModelException e) {
            throw new IOException("checkpoint " + paramsFile + " does not fit the network: " + e.getMessage(), e);
        }
    }
}

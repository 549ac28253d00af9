package dev.imagesim.training.objective;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import org.junit.jupiter.params.provider.Arguments;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads the fixtures that {@code src/test/resources/training/make_parity_fixtures.py} writes with plain PyTorch,
 * and builds the service's objective for each of their cases.
 */
public final class PyTorchFixtures {

    private PyTorchFixtures() {
    }

    /** A fixture under {@code src/test/resources/training/}. */
    public static JsonNode read(String name) {
        try (InputStream in = PyTorchFixtures.class.getResourceAsStream("/training/" + name)) {
            return JsonMapper.builder().build().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The fixture's cases as test arguments: a display name (the case's {@code key} field), then the case. */
    public static Stream<Arguments> cases(JsonNode fixture, String key) {
        return StreamSupport.stream(fixture.get("cases").spliterator(), false)
                .map(c -> Arguments.of(c.get(key).toString(), c));
    }

    /** The service's objective for a case's {@code objective} as the peer script names it. */
    public static Objective objective(JsonNode spec, int classes, int dimension) {
        return switch (spec.get("type").asString()) {
            case "softmax" -> new SoftmaxObjective(classes);
            case "center" -> new CenterLossObjective(classes, dimension, (float) spec.get("lambda").asDouble(),
                    (float) spec.get("alpha").asDouble());
            case "contrastive" -> new ContrastiveObjective((float) spec.get("margin").asDouble());
            case "triplet" -> new TripletObjective((float) spec.get("margin").asDouble(),
                    TripletMiner.valueOf(spec.get("miner").asString().toUpperCase(Locale.ROOT).replace('-', '_')),
                    spec.get("squared").asBoolean());
            default -> throw new IllegalArgumentException("no objective for " + spec);
        };
    }

    public static float[] floats(JsonNode array) {
        float[] out = new float[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) array.get(i).asDouble();
        }
        return out;
    }
}

package dev.imagesim.bench;

import java.util.Random;

/** JSON bodies of {@code images:batch} for a bring-your-own-vector collection: random vectors, ids {@code v<i>}. */
final class VectorBatches {

    /** The metadata of one item: a JSON object, or null for none. */
    interface Metadata {
        String of(int item);
    }

    private VectorBatches() {
    }

    /** Items {@code first} to {@code first + count - 1} with uniform random vectors in [-0.5, 0.5). */
    static String body(Random random, int dimension, int first, int count, Metadata metadata) {
        StringBuilder json = new StringBuilder("{\"items\":[");
        for (int i = first; i < first + count; i++) {
            json.append(i == first ? "" : ",").append("{\"id\":\"v").append(i).append("\",\"vector\":");
            appendVector(json, random, dimension);
            String document = metadata.of(i);
            if (document != null) {
                json.append(",\"metadata\":").append(document);
            }
            json.append('}');
        }
        return json.append("]}").toString();
    }

    /** A random query vector as JSON. */
    static String vector(Random random, int dimension) {
        StringBuilder json = new StringBuilder();
        appendVector(json, random, dimension);
        return json.toString();
    }

    private static void appendVector(StringBuilder json, Random random, int dimension) {
        json.append('[');
        for (int d = 0; d < dimension; d++) {
            json.append(d == 0 ? "" : ",").append(random.nextFloat() - 0.5f);
        }
        json.append(']');
    }
}

package dev.imagesim.vector;

import dev.imagesim.ImagesimException;

/** Checks on vectors that come from clients. */
public final class VectorChecks {

    private VectorChecks() {
    }

    public static float[] requireFinite(float[] vector, String what) {
        if (vector == null || vector.length == 0) {
            throw ImagesimException.invalid("vector-missing", what + " is missing or empty");
        }
        for (int i = 0; i < vector.length; i++) {
            if (!Float.isFinite(vector[i])) {
                throw ImagesimException.invalid("vector-not-finite",
                        what + " holds a value that is not a finite float at position " + i);
            }
        }
        return vector;
    }
}

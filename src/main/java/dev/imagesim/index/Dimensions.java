package dev.imagesim.index;

/** The check every index backend makes of a vector it is given. */
final class Dimensions {

    private Dimensions() {
    }

    /** Throws unless {@code vector} has {@code dimension} components. */
    static void require(float[] vector, int dimension) {
        if (vector.length != dimension) {
            throw new IllegalArgumentException("vector has " + vector.length + " dimensions, index has " + dimension);
        }
    }
}

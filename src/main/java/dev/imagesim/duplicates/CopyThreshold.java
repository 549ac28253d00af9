package dev.imagesim.duplicates;

/**
 * An {@code embedding} threshold calibrated on a collection's own images ({@link CopyCalibration}): copies made
 * of {@code originals} sampled stored images, {@code copies} in all, and how well the threshold told them
 * from each copy's nearest other stored image.
 *
 * @param threshold the distance chosen, in the collection's metric
 * @param precision of the copy pairs it accepts, the share that are a copy and its original
 * @param recall    of the copies, the share it pairs with their original
 * @param f1        their harmonic mean, the quantity the threshold maximises
 */
public record CopyThreshold(double threshold, int originals, int copies, double precision, double recall,
        double f1) {
}

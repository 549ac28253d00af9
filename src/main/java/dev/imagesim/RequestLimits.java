package dev.imagesim;

import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Limits on what one request may ask of the service ({@code imagesim.limits.*}). Anything above a limit
 * is refused with a 4xx before expensive work starts.
 *
 * @param maxImageSize        encoded bytes of one image
 * @param maxImagePixels      width × height of one image, read from its header before decoding
 * @param maxImagesPerRequest images in one embeddings or batch request (zip entries included)
 * @param maxK                neighbours one search may ask for
 * @param maxEf               HNSW search breadth one search may ask for
 * @param maxMetadataSize     bytes of one image's metadata JSON
 * @param maxZipSize          total uncompressed bytes of one zip upload
 * @param maxDimension        dimension of a vector collection (one that takes clients' own vectors)
 * @param maxBodySize         bytes of a request body that is not a multipart upload (JSON); multipart
 *                            uploads are bounded by {@code spring.servlet.multipart.max-request-size}
 */
@Validated
@ConfigurationProperties("imagesim.limits")
public record RequestLimits(
        @DefaultValue("20MB") DataSize maxImageSize,
        @DefaultValue("50000000") @Min(1) long maxImagePixels,
        @DefaultValue("256") @Min(1) int maxImagesPerRequest,
        @DefaultValue("1000") @Min(1) int maxK,
        @DefaultValue("4096") @Min(1) int maxEf,
        @DefaultValue("16KB") DataSize maxMetadataSize,
        @DefaultValue("512MB") DataSize maxZipSize,
        @DefaultValue("4096") @Min(1) int maxDimension,
        @DefaultValue("1MB") DataSize maxBodySize) {

    /** Refuses a request of no image (400 {@code image-missing}) or of more than {@code maxImagesPerRequest} (413). */
    public void requireImageCount(int count) {
        if (count == 0) {
            throw ImagesimException.invalid("image-missing", "the request holds no image");
        }
        if (count > maxImagesPerRequest) {
            throw new ImagesimException(ImagesimException.Kind.TOO_LARGE, "too-many-images", "the request holds "
                    + count + " images; the limit is " + maxImagesPerRequest);
        }
    }

    /** Refuses a neighbour count outside 1..{@code maxK} with 400 {@code k-out-of-range}. */
    public void requireK(int k) {
        if (k < 1 || k > maxK) {
            throw ImagesimException.invalid("k-out-of-range", "k must be between 1 and " + maxK + ", was " + k);
        }
    }

    /** Refuses an HNSW search breadth outside 1..{@code maxEf} with 400 {@code ef-out-of-range}. */
    public void requireEf(int ef) {
        if (ef < 1 || ef > maxEf) {
            throw ImagesimException.invalid("ef-out-of-range", "ef must be between 1 and " + maxEf + ", was " + ef);
        }
    }
}

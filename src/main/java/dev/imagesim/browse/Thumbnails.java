package dev.imagesim.browse;

import java.awt.AlphaComposite;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

import javax.imageio.ImageIO;

import org.springframework.stereotype.Service;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;

import dev.imagesim.ImagesimException;
import dev.imagesim.catalog.Catalog;
import dev.imagesim.catalog.ImageRecord;
import dev.imagesim.embedding.ImageDecoder;

/**
 * Thumbnails of stored images for the web console's grids and hits: the original scaled to fit a square of
 * {@code size} pixels (never enlarged), as PNG where it has transparency and as JPEG otherwise. Each
 * (original, size) is made once and kept in memory ({@link BrowseProperties#thumbnailCacheSize()}); a
 * thumbnail names its original's SHA-256, so it never goes stale when an image is replaced.
 */
@Service
public class Thumbnails {

    /** Smallest and largest thumbnail edge a client may ask for. */
    public static final int MIN_SIZE = 16;
    public static final int MAX_SIZE = 512;

    private record Key(String sha256, int size) {
    }

    private final Catalog catalog;
    private final ImageDecoder decoder;
    private final Cache<Key, Thumbnail> cache;

    Thumbnails(Catalog catalog, ImageDecoder decoder, BrowseProperties properties, MeterRegistry meters) {
        this.catalog = catalog;
        this.decoder = decoder;
        this.cache = Caffeine.newBuilder()
                .maximumWeight(properties.thumbnailCacheSize().toBytes())
                .weigher((Key key, Thumbnail thumbnail) -> thumbnail.bytes().length + 200)
                .recordStats()
                .build();
        CaffeineCacheMetrics.monitor(meters, cache, "imagesim.thumbnails");
    }

    /**
     * The thumbnail of image {@code id}; 400 {@code size-out-of-range}, 404 when there is no such image or it
     * has no bytes (a client's vector: {@link Catalog#content} refuses, and nothing is cached).
     */
    public Thumbnail of(String collection, String id, int size) {
        if (size < MIN_SIZE || size > MAX_SIZE) {
            throw ImagesimException.invalid("size-out-of-range",
                    "size must be " + MIN_SIZE + "-" + MAX_SIZE + " pixels, was " + size);
        }
        ImageRecord image = catalog.image(collection, id);
        return cache.get(new Key(image.blobSha256(), size), key -> make(image, size));
    }

    private Thumbnail make(ImageRecord image, int size) {
        BufferedImage original = decoder.decode(catalog.content(image)).image();
        boolean alpha = original.getColorModel().hasAlpha();
        double scale = Math.min(1.0, (double) size / Math.max(original.getWidth(), original.getHeight()));
        int width = Math.max(1, (int) Math.round(original.getWidth() * scale));
        int height = Math.max(1, (int) Math.round(original.getHeight() * scale));
        BufferedImage small = new BufferedImage(width, height,
                alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
        Graphics2D graphics = small.createGraphics();
        try {
            graphics.setComposite(AlphaComposite.Src);
            graphics.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
            graphics.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            graphics.drawImage(original, 0, 0, width, height, null);
        } finally {
            graphics.dispose();
        }
        String format = alpha ? "png" : "jpeg";
        return new Thumbnail(encode(small, format), "image/" + format, "\"" + image.blobSha256() + "-" + size + "\"");
    }

    private static byte[] encode(BufferedImage image, String format) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, format, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory failed", e);
        }
        return bytes.toByteArray();
    }
}

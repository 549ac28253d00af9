package dev.imagesim.duplicates;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import dev.imagesim.DaemonThreads;
import dev.imagesim.catalog.Catalog;
import dev.imagesim.embedding.ImageDecoder;

/**
 * Once the service is up, hashes in the background the images stored before it kept perceptual hashes, so that
 * {@code hash} checks and scans see them too; until it is done they see the images hashed so far. Runs at
 * every start and finds nothing to do once every image has a hash.
 */
@Component
class HashBackfill {

    private static final Logger log = LoggerFactory.getLogger(HashBackfill.class);

    private final Catalog catalog;
    private final ImageDecoder decoder;

    HashBackfill(Catalog catalog, ImageDecoder decoder) {
        this.catalog = catalog;
        this.decoder = decoder;
    }

    @EventListener(ApplicationReadyEvent.class)
    void start() {
        java.util.concurrent.ExecutorService thread = DaemonThreads.single("hash-backfill");
        thread.execute(this::run);
        thread.shutdown();
    }

    private void run() {
        long start = System.nanoTime();
        int hashed = catalog.backfillPerceptualHashes(bytes -> PerceptualHash.of(decoder.decode(bytes).image()));
        if (hashed > 0) {
            log.info("gave {} images stored before perceptual hashes were kept theirs in {} s", hashed,
                    Math.round((System.nanoTime() - start) / 1e9));
        }
    }
}

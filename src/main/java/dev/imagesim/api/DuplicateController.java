package dev.imagesim.api;

import java.util.List;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

import com.fasterxml.jackson.annotation.JsonUnwrapped;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;

import dev.imagesim.duplicates.DuplicateCheck;
import dev.imagesim.duplicates.DuplicateCheckResult;
import dev.imagesim.duplicates.DuplicateGroup;
import dev.imagesim.duplicates.DuplicateScanStatus;
import dev.imagesim.duplicates.DuplicateScans;

@RestController
@RequestMapping("/api/v1/collections/{collection}")
@Tag(name = "Duplicates", description = "Find copies of an image in a collection")
class DuplicateController {

    /** Body of a scan request; every field has a default. */
    record ScanRequest(
            @Schema(description = "embedding (default), hash or exact", example = "embedding") String method,
            @Schema(description = "for hash: Hamming bits, 0-64, default 2; for embedding: a distance in the "
                    + "collection's metric, default calibrated on the collection's own images (required for a "
                    + "collection of your own vectors); ignored for exact") Double threshold) {
    }

    /** The latest scan's status with a page of its groups; {@code next} is the cursor of the following page. */
    record ScanPage(@JsonUnwrapped DuplicateScanStatus scan, List<DuplicateGroup> groups, String next) {
    }

    private final DuplicateCheck check;
    private final DuplicateScans scans;
    private final RequestParts parts;

    DuplicateController(DuplicateCheck check, DuplicateScans scans, RequestParts parts) {
        this.check = check;
        this.scans = scans;
        this.parts = parts;
    }

    @PostMapping(path = "/duplicates", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Start a scan of the whole collection for groups of copies", description = """
            Runs in the background (202 with its status and a `Location` to follow; one scan at a time in the
            service, one queued or running per collection) and keeps the collection's latest scan and its
            groups, which outlive a restart; a scan a restart cut short is marked `failed`, saying so.
            `method`: `embedding` (default; each stored vector's 20 nearest in the collection's index, a pair
            where the distance is within `threshold`: yours, or one calibrated at the start of the run on copies
            the service makes of 100 of the collection's own images, reported as `calibration`), `hash` (64-bit
            DCT perceptual hashes within `threshold` Hamming bits, default 2; no model needed) or `exact`
            (identical bytes). Pairs are grouped around representatives: the best-connected image not yet
            grouped takes every ungrouped image within the threshold of it, so every member is a copy of its
            representative and chains of weak pairs do not merge unrelated images. Body optional, e.g.
            `{"method":"hash","threshold":4}`. 400 `method-unknown`, `threshold-out-of-range`,
            `threshold-required` (`embedding` on a collection of your own vectors without `threshold`); 409
            `scan-running`; the run fails with `collection-too-small` when calibration finds fewer than 2
            stored images.""")
    ResponseEntity<DuplicateScanStatus> startScan(@PathVariable String collection,
            @RequestBody(required = false) ScanRequest request) {
        ScanRequest r = request == null ? new ScanRequest(null, null) : request;
        DuplicateScanStatus status = scans.start(collection, r.method(), r.threshold());
        return ResponseEntity.accepted().location(ServletUriComponentsBuilder.fromCurrentRequestUri().build().toUri())
                .body(status);
    }

    @GetMapping(path = "/duplicates", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "The collection's latest duplicate scan and a page of its groups", description = """
            The scan's `state` (queued, running, succeeded, failed, cancelled), `percent` and `etaSeconds` of
            the comparing, the `threshold` used (and `calibration`, how it was set), and once it succeeded the
            counts of `groups` and `duplicates` (images other than representatives) and the groups, largest
            first: each a list of `members` (`id`, `distance` to the representative, which comes first at 0).
            The groups are as of the scan. `next` is the cursor of the following page, null on the last. 400
            `limit-out-of-range` outside 1-1000, `cursor-malformed`; 404 `scan-not-found` when the collection
            has not been scanned.""")
    ScanPage scan(@PathVariable String collection,
            @Parameter(description = "groups a page, 1-1000") @RequestParam(defaultValue = "100") int limit,
            @Parameter(description = "the `next` of the previous page") @RequestParam(required = false)
            String cursor) {
        Paging.requireLimit(limit);
        DuplicateScans.Page page = scans.latest(collection, cursor == null ? 0 : Paging.rank(cursor), limit);
        return new ScanPage(page.scan(), page.groups(),
                page.next() == null ? null : Paging.cursor(page.next().toString()));
    }

    @DeleteMapping(path = "/duplicates", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Cancel the collection's duplicate scan", description = """
            A queued scan is cancelled at once, a running one within a page of vectors or a round of hash
            comparisons (202; follow it until its state is `cancelled`); nothing is kept of it. 409
            `scan-finished` when it has ended, 404 `scan-not-found` when there is none.""")
    ResponseEntity<DuplicateScanStatus> cancelScan(@PathVariable String collection) {
        return ResponseEntity.accepted().body(scans.cancel(collection));
    }

    @PostMapping(path = "/duplicates:check", consumes = MediaType.MULTIPART_FORM_DATA_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Check whether an image is already stored, without storing it",
            description = "Multipart part `image`. `method`: `embedding` (default; the collection's 20 nearest "
                    + "within `threshold`, a distance in its metric: yours, or the one calibrated on copies of "
                    + "the collection's own images, made once per collection and model and reported as "
                    + "`calibration`), `hash` (a 64-bit DCT perceptual hash, `threshold` in Hamming bits, "
                    + "default 2; survives re-encoding, resizing and brightness changes, not crops or larger "
                    + "shifts) or `exact` (the same bytes). Answers the stored duplicates nearest first as "
                    + "`{\"method\",\"threshold\",\"calibration\",\"duplicates\":[{\"id\",\"distance\"}]}`. "
                    + "400 `method-unknown`, `threshold-out-of-range`, `threshold-required` (`embedding` on a "
                    + "collection of your own vectors without `threshold`); 409 `collection-has-no-model` "
                    + "(`embedding` with a threshold on such a collection: it cannot embed the image), "
                    + "`collection-too-small` (fewer than 2 stored images to calibrate with).")
    DuplicateCheckResult check(@PathVariable String collection, @RequestPart("image") MultipartFile image,
            @Parameter(description = "hash, exact or embedding") @RequestParam(required = false) String method,
            @Parameter(description = "bits for hash, a distance for embedding") @RequestParam(required = false)
            Double threshold) {
        return check.check(collection, parts.bytes(image), method, threshold);
    }
}

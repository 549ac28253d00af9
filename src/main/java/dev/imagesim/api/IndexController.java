package dev.imagesim.api;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;

import dev.imagesim.ImagesimException;
import dev.imagesim.RequestLimits;
import dev.imagesim.catalog.Catalog;
import dev.imagesim.maintenance.EfTuner;
import dev.imagesim.maintenance.EfTunings;
import dev.imagesim.maintenance.TuneStatus;

/** A collection's HNSW search breadth: tuned from a target recall, or set by hand. */
@RestController
@RequestMapping("/api/v1/collections/{name}/index")
@Tag(name = "Collections")
class IndexController {

    /** Body of a tuning request; every field has a default. */
    record TuneRequest(
            @Schema(description = "mean recall@k to reach, in (0, 1]; default 0.95") Double targetRecall,
            @Schema(description = "neighbours per query; default 10") Integer k,
            @Schema(description = "stored vectors used as queries (each left out while it is one), 1-2000; "
                    + "default 200") Integer sampleSize,
            @Schema(description = "largest ef to try, k to imagesim.limits.max-ef; default that limit (4096)")
            Integer maxEf,
            @Schema(description = "make the ef found the collection's default; false only reports it "
                    + "(a dry run); default true") Boolean apply) {
    }

    /** Body of a request that sets the default ef. */
    record EfRequest(@Schema(description = "the collection's default ef, 1 to imagesim.limits.max-ef",
            requiredMode = Schema.RequiredMode.REQUIRED) Integer ef) {
    }

    private static final Pattern PREFER_WAIT = Pattern.compile("(?:^|[,;\\s])wait\\s*=\\s*(\\d{1,9})");
    private static final Duration LONGEST_WAIT = Duration.ofSeconds(300);

    private final EfTunings tunings;
    private final EfTuner tuner;
    private final Catalog catalog;
    private final RequestLimits limits;

    IndexController(EfTunings tunings, EfTuner tuner, Catalog catalog, RequestLimits limits) {
        this.tunings = tunings;
        this.tuner = tuner;
        this.catalog = catalog;
        this.limits = limits;
    }

    @PostMapping(path = "/tune", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Choose the collection's default ef from a target recall", description = """
            Samples the collection's own vectors as queries, each left out while it is one (so it stands in
            for a query the index has never seen: a stored vector searched for as it is finds itself and its
            neighbours through its own links, and promises more recall than new queries get). Finds their
            exact top-k among the other vectors in one pass over the index, then searches the HNSW index,
            without the query's own node, with growing ef (k, then 12, 16, 24, 32, … above k, then `maxEf`)
            until the mean recall@k reaches `targetRecall`, and makes that ef the collection's default for
            searches that give none (`apply: false` only reports it). Runs in the background, one tuning at
            a time in the service (202 with its status; follow it with `GET`, stop it with `DELETE`): it
            compares every stored vector with every query once, then searches each query once per ef tried
            (`maxEf` bounds the sweep). `Prefer: wait=N` (seconds, at most 300) holds the answer until the
            tuning ends or N seconds pass: 200 with the finished status, or 202 with the status so far. The
            status's `result` holds the ef, its recall and the sweep; `reached` is false when the largest ef
            tried fell short (it is applied anyway), `applied` whether it became the default. 400
            `max-ef-out-of-range` for a `maxEf` below k or above the limit; 409 `index-exact` for an exact
            index, `index-not-tunable` for a backend that tunes its own search breadth,
            `collection-too-small` for fewer than 2 vectors, `tune-running` while a tuning of the
            collection is queued or running.""")
    ResponseEntity<TuneStatus> tune(@PathVariable String name, @RequestBody(required = false) TuneRequest request,
            @Parameter(description = "`wait=N`: hold the answer up to N seconds (at most 300) for the end")
            @RequestHeader(name = "Prefer", required = false) String prefer) {
        TuneRequest r = request == null ? new TuneRequest(null, null, null, null, null) : request;
        TuneStatus status = tunings.start(name, new EfTuner.Goal(r.targetRecall() == null ? 0.95 : r.targetRecall(),
                r.k() == null ? 10 : r.k(), r.sampleSize() == null ? 200 : r.sampleSize(),
                r.maxEf() == null ? limits.maxEf() : r.maxEf(), r.apply() == null || r.apply()), wait(prefer));
        return ResponseEntity.status(status.active() ? HttpStatus.ACCEPTED : HttpStatus.OK).body(status);
    }

    @GetMapping(path = "/tune", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Progress of the collection's latest ef tuning", description = """
            State (queued, running, succeeded, failed, cancelled); phase (`exact`: the stored vectors compared
            with every query so far, `scanned` of `toScan`; then `sweep`: the ef being measured and how many
            sampled queries it has searched); percent and ETA of the phase under way (of the sweep: if it runs
            to `maxEf`; it stops sooner once the target is met); the ef values measured so far and, once it
            succeeded, the result. Kept in memory: 404 `tune-not-found` when the collection has not been tuned since the
            service started.""")
    TuneStatus tuneStatus(@PathVariable String name) {
        return tunings.status(name);
    }

    @DeleteMapping(path = "/tune", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Cancel the collection's ef tuning", description = """
            A queued tuning is cancelled at once, a running one within one query's search or 1,024 vectors
            of the exact pass (202; follow it until its state is `cancelled`); nothing is applied. 409
            `tune-finished` when it has ended.""")
    ResponseEntity<TuneStatus> cancelTune(@PathVariable String name) {
        return ResponseEntity.accepted().body(tunings.cancel(name));
    }

    @PutMapping(path = "/ef", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Set the collection's default ef by hand", description = """
            Makes `ef` the default search breadth for searches of this collection that give none; it is
            stored with the collection and kept across restarts. Answers the collection. 400
            `ef-out-of-range` outside 1 to imagesim.limits.max-ef, `ef-missing` without one; 409
            `index-exact` for an exact index, which has no ef.""")
    CollectionResponse setEf(@PathVariable String name, @RequestBody(required = false) EfRequest request) {
        if (request == null || request.ef() == null) {
            throw ImagesimException.invalid("ef-missing", "the body must give the default ef: {\"ef\": 128}");
        }
        tuner.set(name, request.ef());
        return CollectionResponse.of(catalog.collectionInfo(name));
    }

    /** The {@code wait} preference of RFC 7240 in seconds, at most {@link #LONGEST_WAIT}; none is no wait. */
    private static Duration wait(String prefer) {
        if (prefer == null) {
            return Duration.ZERO;
        }
        Matcher matcher = PREFER_WAIT.matcher(prefer);
        return matcher.find() ? Duration.ofSeconds(Math.min(Long.parseLong(matcher.group(1)),
                LONGEST_WAIT.toSeconds())) : Duration.ZERO;
    }
}

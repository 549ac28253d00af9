package dev.imagesim.api;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;

import dev.imagesim.ImagesimException;
import dev.imagesim.RequestLimits;
import dev.imagesim.catalog.Catalog;
import dev.imagesim.search.EfTuner;

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

    private final EfTuner tuner;
    private final Catalog catalog;
    private final RequestLimits limits;

    IndexController(EfTuner tuner, Catalog catalog, RequestLimits limits) {
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
            searches that give none (`apply: false` only reports it). Answers the ef, its recall and the
            sweep; `reached` is false when the largest ef tried fell short (it is applied anyway), `applied`
            whether it became the default. Runs in the request: it compares every stored vector with every
            query once, then searches each query once per ef tried (1,000,000 128-d vectors, 200 queries:
            4.5–12.8 s on 2 cores, most of it the sweep), so give the request a timeout to match, or bound
            the sweep with `maxEf`. 400 `max-ef-out-of-range` for a `maxEf` below k or above the limit;
            409 `index-exact` for an exact index, `collection-too-small` for fewer than 2 vectors.""")
    EfTuner.Result tune(@PathVariable String name, @RequestBody(required = false) TuneRequest request) {
        TuneRequest r = request == null ? new TuneRequest(null, null, null, null, null) : request;
        return tuner.tune(name, new EfTuner.Goal(r.targetRecall() == null ? 0.95 : r.targetRecall(),
                r.k() == null ? 10 : r.k(), r.sampleSize() == null ? 200 : r.sampleSize(),
                r.maxEf() == null ? limits.maxEf() : r.maxEf(), r.apply() == null || r.apply()));
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
}

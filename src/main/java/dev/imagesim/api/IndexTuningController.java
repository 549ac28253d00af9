package dev.imagesim.api;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;

import dev.imagesim.search.EfTuner;

@RestController
@RequestMapping("/api/v1/collections/{name}/index/tune")
@Tag(name = "Collections")
class IndexTuningController {

    /** Body of a tuning request; every field has a default. */
    record TuneRequest(
            @Schema(description = "mean recall@k to reach, in (0, 1]; default 0.95") Double targetRecall,
            @Schema(description = "neighbours per query; default 10") Integer k,
            @Schema(description = "stored vectors used as queries (each left out while it is one), 1-2000; "
                    + "default 200") Integer sampleSize) {
    }

    private final EfTuner tuner;

    IndexTuningController(EfTuner tuner) {
        this.tuner = tuner;
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Choose the collection's default ef from a target recall", description = """
            Samples the collection's own vectors as queries, each left out while it is one (so it stands in
            for a query the index has never seen: a stored vector searched for as it is finds itself and its
            neighbours through its own links, and promises more recall than new queries get). Finds their
            exact top-k among the other vectors in one pass over the index, then searches the HNSW index,
            without the query's own node, with growing ef (k, then 12, 16, 24, 32, … above k, up to
            imagesim.limits.max-ef) until the mean recall@k reaches `targetRecall`, and makes that ef the
            collection's default for searches that give none. Answers the ef, its recall and the sweep;
            `reached` is false when the largest ef tried fell short (it is set anyway). Runs in the request:
            it compares every stored vector with every query once, then searches each query once per ef
            tried (1,000,000 128-d vectors, 200 queries: 4.5–12.8 s on 2 cores, most of it the sweep), so
            give the request a timeout to match. 409 `index-exact` for an exact index,
            `collection-too-small` for fewer than 2 vectors.""")
    EfTuner.Result tune(@PathVariable String name, @RequestBody(required = false) TuneRequest request) {
        TuneRequest r = request == null ? new TuneRequest(null, null, null) : request;
        return tuner.tune(name, r.targetRecall() == null ? 0.95 : r.targetRecall(), r.k() == null ? 10 : r.k(),
                r.sampleSize() == null ? 200 : r.sampleSize());
    }
}

package dev.imagesim.api;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

import dev.imagesim.DaemonThreads;
import dev.imagesim.training.JobState;
import dev.imagesim.training.TrainingJob;
import dev.imagesim.training.TrainingJobs;
import dev.imagesim.training.TrainingRequest;

@RestController
@RequestMapping("/api/v1/training-jobs")
@Tag(name = "Training jobs", description = "Fine-tune an embedding model in the background")
class TrainingJobController {

    private static final long EVENTS_TIMEOUT_MILLIS = TimeUnit.HOURS.toMillis(6);

    private final TrainingJobs jobs;
    /** Sends events off the training thread, so a slow client never slows training; drops oldest when full. */
    private final ThreadPoolExecutor sender = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(1024), DaemonThreads.named("training-events"),
            new ThreadPoolExecutor.DiscardOldestPolicy());

    TrainingJobController(TrainingJobs jobs) {
        this.jobs = jobs;
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Start a training job", description = """
            Validates the request (dataset reachable under the dataset root, model ids, hyper-parameter ranges)
            and queues the job: 202 with a Location header. Jobs run one at a time in the background; on
            success the job's `modelId` names a new installed model with its evaluation and calibrated
            verification threshold.""")
    ResponseEntity<TrainingJobResponse> submit(@RequestBody TrainingRequest request) {
        TrainingJob job = jobs.submit(request);
        return ResponseEntity.accepted().location(URI.create("/api/v1/training-jobs/" + job.id()))
                .body(TrainingJobResponse.of(job));
    }

    @GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "List training jobs", description = "Newest first.")
    List<TrainingJobResponse> list() {
        return jobs.list().stream().map(TrainingJobResponse::of).toList();
    }

    @GetMapping(path = "/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Get a training job", description = "State, percent, epoch, loss history, ETA and evaluation.")
    TrainingJobResponse get(@PathVariable String id) {
        return TrainingJobResponse.of(jobs.get(id));
    }

    @GetMapping(path = "/{id}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    @Operation(summary = "Follow a training job", description = """
            Server-sent events named `progress`, each carrying the job as `GET /training-jobs/{id}` shows it:
            one at once, then on every state change and up to four a second while it trains. The stream ends
            when the job succeeds, fails, is cancelled or is interrupted.""")
    SseEmitter events(@PathVariable String id) {
        SseEmitter emitter = new SseEmitter(EVENTS_TIMEOUT_MILLIS);
        TrainingJob current = jobs.get(id);
        if (ends(current)) {
            send(emitter, current);
            return emitter;
        }
        Runnable unsubscribe = jobs.subscribe(id, job -> sender.execute(() -> send(emitter, job)));
        emitter.onCompletion(unsubscribe);
        emitter.onTimeout(unsubscribe);
        emitter.onError(error -> unsubscribe.run());
        sender.execute(() -> send(emitter, jobs.get(id)));
        return emitter;
    }

    @DeleteMapping(path = "/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Cancel a training job", description = """
            A queued job is cancelled at once, a running one within one iteration (202; follow the job until
            its state is `cancelled`). Nothing of a cancelled job becomes a model. 409 for a finished job.""")
    ResponseEntity<TrainingJobResponse> cancel(@PathVariable String id) {
        TrainingJob job = jobs.cancel(id);
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(TrainingJobResponse.of(job));
    }

    @PostMapping(path = "/{id}/resume", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Resume an interrupted job", description = """
            A job the service was stopped in the middle of is `interrupted`; this queues it again and it goes
            on from its last finished epoch. 409 for a job in any other state.""")
    ResponseEntity<TrainingJobResponse> resume(@PathVariable String id) {
        return ResponseEntity.accepted().body(TrainingJobResponse.of(jobs.resume(id)));
    }

    private static void send(SseEmitter emitter, TrainingJob job) {
        try {
            emitter.send(SseEmitter.event().name("progress").id(job.id()).data(TrainingJobResponse.of(job),
                    MediaType.APPLICATION_JSON));
            if (ends(job)) {
                emitter.complete();
            }
        } catch (IOException | IllegalStateException e) {
            emitter.completeWithError(e);
        }
    }

    private static boolean ends(TrainingJob job) {
        return job.state().finished() || job.state() == JobState.INTERRUPTED;
    }
}

package dev.imagesim.training;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Service;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import tools.jackson.databind.json.JsonMapper;

import dev.imagesim.DaemonThreads;
import dev.imagesim.DataDirectory;
import dev.imagesim.AtomicFiles;
import dev.imagesim.Directories;
import dev.imagesim.ImagesimException;
import dev.imagesim.ImagesimException.Kind;
import dev.imagesim.engine.DjlRuntime;
import dev.imagesim.model.ModelLoader;
import dev.imagesim.model.ModelManifest;
import dev.imagesim.model.ModelRegistry;
import dev.imagesim.training.data.DatasetLoader;
import dev.imagesim.training.data.ImageDataset;

/**
 * Runs training jobs in the background, one at a time, on a worker thread of their own: serving threads
 * never wait for training, and the network under training is never the one that serves. Jobs are
 * persisted; a job left queued or running by a stopped process comes back as interrupted and can be
 * resumed from its last epoch checkpoint. A job's model is installed only once it has fully succeeded.
 */
@Service
public class TrainingJobs implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(TrainingJobs.class);
    private static final long PUBLISH_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
    private static final long PERSIST_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(5);

    /** A job queued or running in this process. */
    private static final class Active {
        volatile TrainingJob job;
        final AtomicBoolean cancel = new AtomicBoolean();
        long lastPublished;
        long lastPersisted;
        long lastIteration;

        Active(TrainingJob job) {
            this.job = job;
        }
    }

    private final TrainingJobRepository repository;
    private final TrainingPlanner planner;
    private final DatasetLoader datasets;
    private final ModelRegistry registry;
    private final ModelLoader loader;
    private final TrainingProperties properties;
    private final JsonMapper json;
    private final String engineName;
    private final Path workRoot;
    private final ExecutorService worker;
    private final Map<String, Active> active = new ConcurrentHashMap<>();
    private volatile boolean stopping;
    private final Timer iterationTimer;
    private final Map<String, List<Consumer<TrainingJob>>> subscribers = new ConcurrentHashMap<>();

    public TrainingJobs(TrainingJobRepository repository, TrainingPlanner planner, DatasetLoader datasets,
            ModelRegistry registry, ModelLoader loader, TrainingProperties properties, JsonMapper json,
            DjlRuntime runtime, DataDirectory dataDirectory, MeterRegistry meters) {
        this.repository = repository;
        this.planner = planner;
        this.datasets = datasets;
        this.registry = registry;
        this.loader = loader;
        this.properties = properties;
        this.json = json;
        this.engineName = runtime.engine().getEngineName();
        this.workRoot = dataDirectory.subdirectory("training");
        this.worker = DaemonThreads.single("training-worker");
        this.iterationTimer = Timer.builder("imagesim.training.iteration")
                .description("one training iteration: batch preparation, forward, backward, step").register(meters);
        Gauge.builder("imagesim.training.jobs", active, Map::size)
                .description("training jobs queued or running").register(meters);
        int interrupted = repository.interruptUnfinished(Instant.now());
        if (interrupted > 0) {
            log.warn("{} training job(s) were unfinished when the service last stopped; they are marked "
                    + "interrupted and can be resumed", interrupted);
        }
    }

    public TrainingJob submit(TrainingRequest request) {
        String id = UUID.randomUUID().toString();
        String defaultModel = request != null && request.objective() != null && request.objective().type() != null
                ? request.objective().type().wireName() + "-" + id.substring(0, 8) : "model-" + id.substring(0, 8);
        TrainingPlan plan = planner.plan(request, defaultModel);
        requireCapacity();
        TrainingJob job = new TrainingJob(id, JobState.QUEUED, plan.request(), null, List.of(),
                plan.request().modelId(), null, Instant.now(), null, null);
        repository.insert(job);
        enqueue(job);
        log.info("training job {} queued: {} on {} dataset '{}', {} epochs, model {}", id,
                plan.request().objective().type().wireName(), plan.request().dataset().type(),
                plan.request().dataset().path(), plan.request().epochs(), job.modelId());
        return job;
    }

    public TrainingJob get(String id) {
        Active running = active.get(id);
        if (running != null) {
            return running.job;
        }
        return repository.find(id).orElseThrow(() -> ImagesimException.notFound("training-job-not-found",
                "no training job with id '" + id + "'"));
    }

    public List<TrainingJob> list() {
        List<TrainingJob> jobs = new ArrayList<>();
        for (TrainingJob stored : repository.list()) {
            Active running = active.get(stored.id());
            jobs.add(running != null ? running.job : stored);
        }
        return jobs;
    }

    /** Cancels a queued job at once and a running one within an iteration. */
    public TrainingJob cancel(String id) {
        TrainingJob job = get(id);
        Active running = active.get(id);
        if (running == null) {
            if (job.state() == JobState.INTERRUPTED) {
                return finish(null, job, JobState.CANCELLED, null);
            }
            throw new ImagesimException(Kind.CONFLICT, "training-job-finished",
                    "training job " + id + " has already " + job.state().name().toLowerCase());
        }
        running.cancel.set(true);
        synchronized (running) {
            if (running.job.state() == JobState.QUEUED) {
                return finish(running, running.job, JobState.CANCELLED, null);
            }
        }
        return running.job;
    }

    /** Resumes an interrupted job from its last checkpoint. */
    public TrainingJob resume(String id) {
        TrainingJob job = get(id);
        if (job.state() != JobState.INTERRUPTED || active.containsKey(id)) {
            throw new ImagesimException(Kind.CONFLICT, "training-job-not-interrupted",
                    "only an interrupted job can be resumed; job " + id + " is " + job.state().name().toLowerCase());
        }
        planner.plan(job.request(), job.modelId());
        requireCapacity();
        TrainingJob queued = job.with(JobState.QUEUED, null, null);
        repository.update(queued);
        enqueue(queued);
        log.info("training job {} resumed", id);
        return queued;
    }

    /**
     * Calls {@code listener} with the job on every state change and, throttled, on progress; the returned
     * action unsubscribes.
     */
    public Runnable subscribe(String id, Consumer<TrainingJob> listener) {
        get(id);
        subscribers.computeIfAbsent(id, k -> new CopyOnWriteArrayList<>()).add(listener);
        return () -> subscribers.getOrDefault(id, List.of()).remove(listener);
    }

    private void requireCapacity() {
        if (active.size() >= properties.maxQueuedJobs()) {
            throw new ImagesimException(Kind.TOO_MANY, "training-queue-full", "there are already "
                    + active.size() + " queued or running training jobs (imagesim.training.max-queued-jobs)");
        }
    }

    private void enqueue(TrainingJob job) {
        Active entry = new Active(job);
        active.put(job.id(), entry);
        publish(job);
        worker.execute(() -> execute(entry));
    }

    private void execute(Active entry) {
        synchronized (entry) {
            if (entry.job.state() != JobState.QUEUED || stopping) {
                return; // a job still queued at shutdown stays queued; the next start takes it up as interrupted
            }
            entry.job = entry.job.started(Instant.now());
            entry.lastIteration = System.nanoTime();
        }
        repository.update(entry.job);
        publish(entry.job);
        TrainingJob job = entry.job;
        Path work = workRoot.resolve(job.id());
        try {
            TrainingPlan plan = planner.plan(job.request(), job.modelId());
            ImageDataset dataset = datasets.load(plan.request().dataset(),
                    plan.request().objective().type().labelled());
            TrainingRun.Result result = new TrainingRun(plan, dataset, properties, work, json, engineName, loader)
                    .run(listener(entry), entry.cancel::get);
            ModelManifest manifest = plan.manifest().withTrainingResult(result.evaluation(),
                    result.evaluation().verification() == null ? null : result.evaluation().verification().threshold(),
                    "training job " + job.id(), json.valueToTree(plan.request()));
            Map<String, AtomicFiles.Writer> files = new LinkedHashMap<>();
            files.put(result.weightsFile(), out -> out.write(result.weights()));
            if (manifest.head() != null) {
                files.put(manifest.head().weights(), out -> out.write(result.head()));
            }
            registry.install(manifest.installed(result.weightsFile(), null), files);
            finish(entry, entry.job, JobState.SUCCEEDED, null);
            Directories.deleteRecursively(work);
        } catch (CancellationException e) {
            if (stopping) {
                finish(entry, entry.job, JobState.INTERRUPTED, "the service stopped; resume the job to go on");
            } else {
                finish(entry, entry.job, JobState.CANCELLED, null);
                Directories.deleteRecursively(work);
            }
        } catch (TrainingFailure | ImagesimException e) {
            finish(entry, entry.job, JobState.FAILED, e.getMessage());
        } catch (OutOfMemoryError e) {
            finish(entry, entry.job, JobState.FAILED, "out of memory: lower batch.p × batch.k or the input size");
        } catch (Exception e) {
            log.error("training job {} failed", job.id(), e);
            finish(entry, entry.job, JobState.FAILED, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private TrainingListener listener(Active entry) {
        return new TrainingListener() {
            @Override
            public void progress(TrainingProgress progress) {
                entry.job = entry.job.progressed(progress, entry.job.epochs());
                long now = System.nanoTime();
                iterationTimer.record(now - entry.lastIteration, TimeUnit.NANOSECONDS);
                entry.lastIteration = now;
                if (now - entry.lastPublished >= PUBLISH_INTERVAL_NANOS) {
                    entry.lastPublished = now;
                    publish(entry.job);
                }
                if (now - entry.lastPersisted >= PERSIST_INTERVAL_NANOS) {
                    entry.lastPersisted = now;
                    repository.update(entry.job);
                }
            }

            @Override
            public void epochFinished(EpochReport report, TrainingProgress progress) {
                entry.lastIteration = System.nanoTime(); // evaluation time is not an iteration
                List<EpochReport> epochs = new ArrayList<>(entry.job.epochs().stream()
                        .filter(r -> r.epoch() < report.epoch()).toList());
                epochs.add(report);
                entry.job = entry.job.progressed(progress, epochs);
                repository.update(entry.job);
                publish(entry.job);
                log.info("training job {} epoch {}/{}: loss {} seen R@1 {} held-out R@1 {}", entry.job.id(),
                        report.epoch(), progress.epochs(), String.format("%.4f", report.loss()),
                        report.seenClasses() == null ? "-" : String.format("%.3f", report.seenClasses().recallAt1()),
                        report.heldOutClasses() == null ? "-" : String.format("%.3f", report.heldOutClasses().recallAt1()));
            }
        };
    }

    private TrainingJob finish(Active entry, TrainingJob job, JobState state, String error) {
        TrainingJob finished = job.with(state, error, Instant.now());
        if (entry != null) {
            entry.job = finished;
        }
        repository.update(finished);
        if (entry != null) {
            active.remove(job.id(), entry);
        }
        publish(finished);
        log.info("training job {} {}{}", job.id(), state.name().toLowerCase(), error == null ? "" : ": " + error);
        return finished;
    }

    private void publish(TrainingJob job) {
        for (Consumer<TrainingJob> listener : subscribers.getOrDefault(job.id(), List.of())) {
            try {
                listener.accept(job);
            } catch (RuntimeException e) {
                log.debug("dropping a progress subscriber of job {}: {}", job.id(), e.getMessage());
                subscribers.getOrDefault(job.id(), List.of()).remove(listener);
            }
        }
        if (job.state().finished() || job.state() == JobState.INTERRUPTED) {
            subscribers.remove(job.id());
        }
    }

    @Override
    public void destroy() throws InterruptedException {
        stopping = true;
        active.values().forEach(entry -> entry.cancel.set(true));
        // No interrupt at first: the running job stops within an iteration and records itself interrupted;
        // an interrupt could land in that last database write (seen on PostgreSQL) and leave it "running".
        worker.shutdown();
        if (!worker.awaitTermination(30, TimeUnit.SECONDS)) {
            worker.shutdownNow();
            worker.awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}

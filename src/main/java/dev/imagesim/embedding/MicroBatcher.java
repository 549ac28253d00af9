package dev.imagesim.embedding;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import dev.imagesim.ImagesimException;
import dev.imagesim.ImagesimException.Kind;

/**
 * Server-side dynamic batching: small embedding calls from concurrent requests are queued and run as one
 * engine batch. Each of {@code workers} threads takes the oldest call, then gathers more until the batch
 * holds {@code maxBatch} inputs or {@code maxWait} has passed since it took the first; calls that queued
 * while the workers were busy join at once. Callers preprocess on their own thread and block until their
 * rows come back; a failure of the batch fails every call in it.
 */
final class MicroBatcher implements AutoCloseable {

    /** One caller's inputs and where its outputs go. */
    private record Call(List<float[]> inputs, CompletableFuture<float[][]> outputs) {
    }

    private final BlockingQueue<Call> queue = new LinkedBlockingQueue<>();
    private final Function<List<float[]>, float[][]> engine;
    private final int maxBatch;
    private final long maxWaitNanos;
    private final List<Thread> workers = new ArrayList<>();
    private volatile boolean closed;

    MicroBatcher(String name, int workers, int maxBatch, Duration maxWait, Function<List<float[]>, float[][]> engine) {
        this.engine = engine;
        this.maxBatch = maxBatch;
        this.maxWaitNanos = maxWait.toNanos();
        for (int i = 0; i < workers; i++) {
            Thread worker = new Thread(this::work, "micro-batch-" + name + "-" + i);
            worker.setDaemon(true);
            worker.start();
            this.workers.add(worker);
        }
    }

    /** Runs {@code inputs} in a shared batch and returns one output row per input, in order. */
    float[][] run(List<float[]> inputs) {
        if (closed) {
            throw new ImagesimException(Kind.UNAVAILABLE, "model-closed", "the model is being unloaded");
        }
        Call call = new Call(inputs, new CompletableFuture<>());
        queue.add(call);
        try {
            return call.outputs().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ImagesimException(Kind.UNAVAILABLE, "interrupted", "interrupted while waiting for a batch");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private void work() {
        while (!closed) {
            List<Call> batch;
            try {
                batch = gather();
            } catch (InterruptedException e) {
                return;
            }
            runBatch(batch);
        }
    }

    private List<Call> gather() throws InterruptedException {
        List<Call> batch = new ArrayList<>();
        Call first = queue.take();
        batch.add(first);
        int inputs = first.inputs().size();
        long deadline = System.nanoTime() + maxWaitNanos;
        while (inputs < maxBatch) {
            Call next = queue.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (next == null) {
                break;
            }
            batch.add(next);
            inputs += next.inputs().size();
        }
        return batch;
    }

    private void runBatch(List<Call> batch) {
        try {
            List<float[]> inputs = new ArrayList<>();
            batch.forEach(call -> inputs.addAll(call.inputs()));
            float[][] outputs = engine.apply(inputs);
            int offset = 0;
            for (Call call : batch) {
                float[][] rows = new float[call.inputs().size()][];
                System.arraycopy(outputs, offset, rows, 0, rows.length);
                offset += rows.length;
                call.outputs().complete(rows);
            }
        } catch (RuntimeException | Error e) {
            batch.forEach(call -> call.outputs().completeExceptionally(e));
        }
    }

    @Override
    public void close() {
        closed = true;
        workers.forEach(Thread::interrupt);
        Call left;
        while ((left = queue.poll()) != null) {
            left.outputs().completeExceptionally(
                    new ImagesimException(Kind.UNAVAILABLE, "model-closed", "the model is being unloaded"));
        }
    }
}

package dev.cxr.engine.backend.cpu;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A fixed set of worker threads that run numbered tasks in parallel; the calling thread works too.
 *
 * <p>Determinism: a task's result must depend only on its number, never on which worker runs it or
 * on how many workers there are. Callers split work by the problem's shape (tiles, rows, channel
 * blocks), not by the thread count, and give each worker its own scratch space ({@code worker} is
 * 0 .. {@link #size()} - 1), so results are bit-identical for any thread count. A task must
 * not call {@link #run} itself.
 */
public final class WorkerPool implements AutoCloseable {
    /** A task body: {@code worker} picks the scratch space, {@code task} the piece of work. */
    @FunctionalInterface
    public interface Body {
        void run(int worker, int task);
    }

    private final int size;
    private final Thread[] threads;
    private final Object lock = new Object();
    private final Object runLock = new Object();
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicInteger pending = new AtomicInteger();
    private volatile Body body;
    private volatile int taskCount;
    private volatile long generation;
    private volatile Throwable failure;
    private volatile boolean closed;
    private volatile Thread caller;

    /** @param size total workers including the calling thread; at least 1 */
    public WorkerPool(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("a worker pool needs at least 1 thread, got " + size);
        }
        this.size = size;
        this.threads = new Thread[size - 1];
        for (int i = 0; i < threads.length; i++) {
            int worker = i + 1;
            Thread t = new Thread(() -> loop(worker), "cxr-cpu-" + worker);
            t.setDaemon(true);
            threads[i] = t;
            t.start();
        }
    }

    public int size() {
        return size;
    }

    /**
     * Runs {@code body} for tasks 0 .. tasks - 1, each exactly once, spread over the workers, and
     * returns when all are done. The first exception thrown by a task is rethrown here.
     */
    public void run(int tasks, Body body) {
        if (tasks <= 0) {
            return;
        }
        if (closed) {
            throw new IllegalStateException("the CPU backend was closed");
        }
        synchronized (runLock) {
            if (size == 1 || tasks == 1) {
                for (int t = 0; t < tasks; t++) {
                    body.run(0, t);
                }
            } else {
                runParallel(tasks, body);
            }
        }
    }

    private void runParallel(int tasks, Body body) {
        synchronized (lock) {
            this.body = body;
            this.taskCount = tasks;
            this.failure = null;
            this.caller = Thread.currentThread();
            next.set(0);
            pending.set(threads.length);
            generation++;
            lock.notifyAll();
        }
        work(0, body, tasks);
        while (pending.get() > 0) {
            LockSupport.park(this);
        }
        this.body = null;
        Throwable f = failure;
        if (f != null) {
            if (f instanceof RuntimeException r) {
                throw r;
            }
            if (f instanceof Error e) {
                throw e;
            }
            throw new IllegalStateException(f);
        }
    }

    private void work(int worker, Body b, int tasks) {
        for (int t = next.getAndIncrement(); t < tasks; t = next.getAndIncrement()) {
            if (failure != null) {
                return;
            }
            try {
                b.run(worker, t);
            } catch (Throwable e) {
                failure = e;
            }
        }
    }

    private void loop(int worker) {
        long seen = 0;
        while (true) {
            Body b;
            int tasks;
            synchronized (lock) {
                while (generation == seen && !closed) {
                    try {
                        lock.wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (closed) {
                    return;
                }
                seen = generation;
                b = body;
                tasks = taskCount;
            }
            work(worker, b, tasks);
            if (pending.decrementAndGet() == 0) {
                LockSupport.unpark(caller);
            }
        }
    }

    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            lock.notifyAll();
        }
    }
}

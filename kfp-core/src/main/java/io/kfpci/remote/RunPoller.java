package io.kfpci.remote;

import io.kfpci.client.Filter;
import io.kfpci.client.KfpApi.Run;
import io.kfpci.client.KfpApiException;
import io.kfpci.client.KfpClient;
import io.kfpci.client.ListQuery;
import io.kfpci.monitor.RunEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One poller for many KFP runs of one endpoint. Each cycle fetches every watched run with as few
 * calls as it can: one GET for a single run, otherwise list calls filtered by run id ({@code IN},
 * 200 ids a page, FACTS 1.4), so N runs cost ceil(N/200) calls instead of N. The wait between
 * cycles starts at {@code initial} and grows by half up to {@code max} while nothing changes.
 *
 * <p>Threads: one daemon thread runs the cycles and calls the listeners (keep them short: print,
 * persist the state). What it persists is the caller's business: each update carries the
 * {@link RemoteWatchState} to save after handling its events.
 */
public final class RunPoller implements AutoCloseable {
  /** The ids of one list call; the server's page size limit. */
  static final int IDS_PER_CALL = 200;
  private static final int MAX_QUIET_FAILURES = 30;

  /** Receives the events of a run, on the poller thread, in order. */
  public interface Listener {
    void update(Run run, List<RunEvent> events, RemoteWatchState state);
  }

  /** How a watch ended: the last answer about the run and the final state. */
  public record Result(Run run, RemoteWatchState state) {}

  /** Counters for benchmarks and tests. */
  public record Stats(long cycles, long calls, long maxCallsPerCycle, long lastCallsPerCycle) {}

  private static final class Watch {
    volatile RemoteWatchState state;
    final Listener listener;
    final CompletableFuture<Result> done = new CompletableFuture<>();
    final AtomicBoolean terminate = new AtomicBoolean();
    final java.util.Set<String> taskNames;

    Watch(RemoteWatchState state, Listener listener, java.util.Set<String> taskNames) {
      this.state = state;
      this.listener = listener;
      // In the caller's order (RunTracker ranks same-second changes by it); Set.copyOf would lose it.
      this.taskNames = java.util.Collections.unmodifiableSet(new java.util.LinkedHashSet<>(taskNames));
    }
  }

  private final KfpClient client;
  private final Duration initial;
  private final Duration max;
  private final ScheduledExecutorService thread;
  private final Map<String, Watch> watches = new ConcurrentHashMap<>();
  private final AtomicBoolean scheduled = new AtomicBoolean();
  private final AtomicLong cycles = new AtomicLong();
  private final AtomicLong calls = new AtomicLong();
  private final AtomicLong maxCalls = new AtomicLong();
  private final AtomicLong lastCalls = new AtomicLong();
  private final AtomicInteger failures = new AtomicInteger();
  private volatile long delayMillis;
  /** False once the server refused a list filtered by run ids (only touched by the poller thread). */
  private boolean listByIds = true;

  public RunPoller(KfpClient client, Duration initial, Duration max) {
    this.client = Objects.requireNonNull(client, "client");
    if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("need 0 < initial <= max");
    }
    this.initial = initial;
    this.max = max;
    this.delayMillis = initial.toMillis();
    this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "kfp-run-poller");
      t.setDaemon(true);
      return t;
    });
  }

  /** A poller waiting 1 s after a change, up to 15 s while runs are quiet. */
  public static RunPoller standard(KfpClient client) {
    return new RunPoller(client, Duration.ofSeconds(1), Duration.ofSeconds(15));
  }

  /** Starts watching from {@code state} (fresh or saved); the future completes at a terminal state. */
  public CompletableFuture<Result> watch(RemoteWatchState state, Listener listener) {
    return watch(state, java.util.Set.of(), listener);
  }

  /**
   * As {@link #watch(RemoteWatchState, Listener)}, reporting only the task rows named like a task
   * of the pipeline ({@link RunTracker#taskNames}), which leaves out the Argo root node.
   */
  public CompletableFuture<Result> watch(RemoteWatchState state, java.util.Set<String> taskNames, Listener listener) {
    Watch w = new Watch(state, listener, taskNames);
    if (watches.putIfAbsent(state.runId(), w) != null) {
      throw new IllegalStateException("run " + state.runId() + " is already watched");
    }
    delayMillis = initial.toMillis();
    if (scheduled.compareAndSet(false, true)) {
      thread.execute(this::cycle);
    }
    return w.done;
  }

  /**
   * Asks the server to terminate a watched run, and remembers it so a 2.17 server's final FAILED
   * is reported as CANCELED.
   */
  public void terminate(String runId) throws KfpApiException, InterruptedException {
    Watch w = watches.get(runId);
    if (w != null) {
      w.terminate.set(true);
    }
    client.terminateRun(runId);
  }

  public Stats stats() {
    return new Stats(cycles.get(), calls.get(), maxCalls.get(), lastCalls.get());
  }

  public int watching() {
    return watches.size();
  }

  private void cycle() {
    boolean active = false;
    try {
      List<Watch> now = new ArrayList<>(watches.values());
      if (now.isEmpty()) {
        return;
      }
      long before = client.callCount();
      Map<String, Run> runs = fetch(now);
      long used = client.callCount() - before;
      cycles.incrementAndGet();
      calls.addAndGet(used);
      lastCalls.set(used);
      maxCalls.accumulateAndGet(used, Math::max);
      failures.set(0);
      for (Watch w : now) {
        Run run = runs.get(w.state.runId());
        if (run == null) {
          continue;
        }
        RemoteWatchState from = w.terminate.get() && !w.state.terminateRequested() ? w.state.withTerminateRequested() : w.state;
        RunTracker.Advance advance = RunTracker.advance(from, run, w.taskNames);
        w.state = advance.state();
        if (!advance.events().isEmpty() || !from.equals(advance.state())) {
          active |= !advance.events().isEmpty();
          w.listener.update(run, advance.events(), advance.state());
        }
        if (advance.state().finished()) {
          watches.remove(w.state.runId());
          w.done.complete(new Result(run, advance.state()));
        }
      }
    } catch (KfpApiException e) {
      if (!e.isRetryable() || failures.incrementAndGet() > MAX_QUIET_FAILURES) {
        failAll(e);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      failAll(e);
      return;
    } catch (RuntimeException e) {
      failAll(e);
    } finally {
      scheduleNext(active);
    }
  }

  private void scheduleNext(boolean active) {
    if (watches.isEmpty()) {
      scheduled.set(false);
      // A watch added between the check and the flag reset still gets its cycle.
      if (!watches.isEmpty() && scheduled.compareAndSet(false, true)) {
        thread.execute(this::cycle);
      }
      return;
    }
    delayMillis = active ? initial.toMillis() : Math.min(max.toMillis(), Math.max(initial.toMillis(), delayMillis * 3 / 2));
    if (!thread.isShutdown()) {
      thread.schedule(this::cycle, delayMillis, TimeUnit.MILLISECONDS);
    }
  }

  private Map<String, Run> fetch(List<Watch> now) throws KfpApiException, InterruptedException {
    Map<String, Run> out = new HashMap<>();
    if (now.size() == 1) {
      Watch w = now.get(0);
      try {
        out.put(w.state.runId(), client.getRun(w.state.runId()));
      } catch (KfpApiException e) {
        if (!e.isNotFound()) {
          throw e;
        }
        fail(w, e);
      }
      return out;
    }
    List<String> ids = now.stream().map(w -> w.state.runId()).toList();
    for (int from = 0; from < ids.size() && listByIds; from += IDS_PER_CALL) {
      List<String> chunk = ids.subList(from, Math.min(ids.size(), from + IDS_PER_CALL));
      try {
        for (Run r : client.listRuns(null, new ListQuery(Filter.in("run_id", chunk), null, IDS_PER_CALL, null)).items()) {
          out.put(r.runId(), r);
        }
      } catch (KfpApiException e) {
        if (e.status() != 400) {
          throw e;
        }
        // A server that refuses the run_id IN filter: one GET per run from now on, still correct.
        listByIds = false;
      }
    }
    // A run the list did not return: ask for it alone, so an unknown id fails its own watch.
    Map<String, Watch> missing = new LinkedHashMap<>();
    now.stream().filter(w -> !out.containsKey(w.state.runId())).forEach(w -> missing.put(w.state.runId(), w));
    for (Watch w : missing.values()) {
      try {
        out.put(w.state.runId(), client.getRun(w.state.runId()));
      } catch (KfpApiException e) {
        if (!e.isNotFound()) {
          throw e;
        }
        fail(w, e);
      }
    }
    return out;
  }

  private void fail(Watch w, KfpApiException e) {
    watches.remove(w.state.runId());
    w.done.completeExceptionally(new RemoteWatchException("run " + w.state.runId() + " is not known to "
        + client.connection().endpoint() + " (" + e.serverMessage() + ")", e));
  }

  private void failAll(Exception e) {
    for (Watch w : new ArrayList<>(watches.values())) {
      watches.remove(w.state.runId());
      w.done.completeExceptionally(e);
    }
  }

  @Override
  public void close() {
    thread.shutdownNow();
    failAll(new RemoteWatchException("the poller was closed", null));
  }
}

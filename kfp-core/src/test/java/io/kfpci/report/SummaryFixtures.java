package io.kfpci.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.kfpci.KfpException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Run summaries for report tests: the seed pipeline's run, hostile ones, and generated large ones. */
public final class SummaryFixtures {
  public static final Instant T0 = Instant.parse("2025-06-01T10:15:00Z");
  private static final String SEED = "/report/fixtures/ml-training-pipeline.summary.json";

  private SummaryFixtures() {}

  /**
   * A run of examples/ml_training_pipeline.py as the local runner records it: preprocess, train,
   * evaluate, and condition-1 holding deploy-model, with the metrics and artifacts it writes.
   */
  public static RunSummary seedRun() {
    try (InputStream in = SummaryFixtures.class.getResourceAsStream(SEED)) {
      return RunSummaryJson.fromJson(new String(in.readAllBytes(), StandardCharsets.UTF_8), SEED);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (KfpException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Task names of {@link #hostileRun()}: markup, quotes, and a name of 3,000 characters. */
  public static final String HOSTILE_PREPROCESS = "pre<script>alert(1)</script>process";
  public static final String HOSTILE_TRAIN = "train\"><img src=x onerror=alert(2)>";
  public static final String HOSTILE_EVALUATE = "evaluate'" + "W".repeat(3000);
  public static final String HOSTILE_LOG_LINE = "</pre><script>alert(3)</script>\u0000";

  /**
   * The seed run with hostile text wherever a summary holds text: task names (so ids, parents,
   * edges, metrics and artifacts), parameters, log lines, the error, links and gates.
   */
  public static RunSummary hostileRun() throws KfpException {
    String json;
    try (InputStream in = SummaryFixtures.class.getResourceAsStream(SEED)) {
      json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    var encoder = com.fasterxml.jackson.core.io.JsonStringEncoder.getInstance();
    json = json.replace("preprocess", new String(encoder.quoteAsString(HOSTILE_PREPROCESS)))
        .replace("train", new String(encoder.quoteAsString(HOSTILE_TRAIN)))
        .replace("evaluate", new String(encoder.quoteAsString(HOSTILE_EVALUATE)));
    RunSummary s = RunSummaryJson.fromJson(json, "hostile");
    List<TaskSummary> tasks = new ArrayList<>();
    for (TaskSummary t : s.tasks()) {
      List<String> log = new ArrayList<>(t.logTail());
      log.add(HOSTILE_LOG_LINE);
      log.add("x".repeat(20_000));
      tasks.add(new TaskSummary(t.id(), t.name(), t.parentId(), t.componentName(), t.kind(), t.iteration(), t.state(),
          t.startedAt(), t.finishedAt(), t.attempts(), t.cached(), t.image() + "\"<b>", t.upstream(),
          t.outputParameters(), t.artifacts(), t.metrics(), t.log(), log, t.exitCode(), t.error()));
    }
    Map<String, JsonNode> parameters = new LinkedHashMap<>(s.parameters());
    parameters.put("<script>alert(4)</script>", JsonNodeFactory.instance.textNode("\"'><script>alert(5)</script>"));
    parameters.put("long", JsonNodeFactory.instance.textNode("L".repeat(50_000)));
    return new RunSummary(1, s.pipelineName(), "run\"<i>1", s.state(), s.createdAt(), s.startedAt(), s.finishedAt(),
        parameters, new RunSummary.Location("kfp", "https://kfp.example/<x>", "javascript:alert(6)"),
        "<script>alert(7)</script>", tasks,
        List.of(new GateResult("test_accuracy", "test_accuracy >= 0.8 <script>", 0.915, true, "\"<script>\"")));
  }

  /** The seed run with other values: an earlier run for the trend charts. */
  public static RunSummary earlierSeedRun(int daysBefore, double accuracy, double f1) {
    RunSummary seed = seedRun();
    List<TaskSummary> tasks = new ArrayList<>();
    for (TaskSummary t : seed.tasks()) {
      List<MetricSummary> metrics = t.metrics().stream().map(m -> new MetricSummary(m.taskId(), m.output(), m.name(),
          m.name().equals("test_accuracy") ? accuracy : m.name().equals("test_f1") ? f1 : m.value())).toList();
      tasks.add(with(t, metrics));
    }
    Duration back = Duration.ofDays(daysBefore);
    return new RunSummary(1, seed.pipelineName(), "run-earlier-" + daysBefore, seed.state(),
        seed.createdAt().minus(back), seed.startedAt().minus(back), seed.finishedAt().minus(back),
        seed.parameters(), seed.location(), null, tasks, List.of());
  }

  /**
   * A failed hyper-parameter sweep: a cached fetch, a ParallelFor of 8 iterations (train, then
   * score) where iteration 5's train fails after 3 attempts, a pick-best that never ran, a
   * condition that was false (its deploy skipped) and an exit notification.
   */
  public static RunSummary sweepRun() {
    List<TaskSummary> tasks = new ArrayList<>();
    tasks.add(task("fetch-data").cached().artifact("dataset", "system.Dataset", 5_000_000).build());
    tasks.add(task("for-loop-2").kind("loop").data("fetch-data").state(RuntimeState.FAILED).attempts(0).at(1, 120).build());
    for (int i = 0; i < 8; i++) {
      String iteration = "for-loop-2[" + i + "]";
      boolean fails = i == 5;
      tasks.add(task(iteration).name("for-loop-2").in("for-loop-2").iteration(i)
          .state(fails ? RuntimeState.FAILED : RuntimeState.SUCCEEDED).attempts(0).at(1 + i, 60).build());
      Task train = task(iteration + "/train").in(iteration).at(1 + i, 40).data("fetch-data")
          .artifact("model", "system.Model", 200_000 + i);
      if (fails) {
        train.state(RuntimeState.FAILED).attempts(3).error("RuntimeError: CUDA out of memory")
            .log("epoch 1/10 loss=0.71", "epoch 2/10 loss=0.64", "Traceback (most recent call last):",
                "  File \"train.py\", line 42, in <module>", "RuntimeError: CUDA out of memory");
      } else {
        train.log("epoch 10/10 loss=0." + (20 + i), "saved model");
      }
      tasks.add(train.build());
      if (!fails) {
        tasks.add(task(iteration + "/score").in(iteration).at(42 + i, 5).data(iteration + "/train")
            .metric("metrics", "auc", 0.80 + i / 100.0).build());
      }
    }
    tasks.add(task("pick-best").state(RuntimeState.SKIPPED).data("for-loop-2").build());
    tasks.add(task("condition-3").kind("dag").state(RuntimeState.SKIPPED).data("pick-best").attempts(0).build());
    tasks.add(task("condition-3/deploy").in("condition-3").state(RuntimeState.SKIPPED).build());
    tasks.add(task("notify").after("for-loop-2").at(130, 2).log("sent: sweep failed").build());
    RunSummary base = summary("hyperparameter-sweep", RuntimeState.FAILED, tasks);
    return new RunSummary(1, base.pipelineName(), "run-sweep-1", base.state(), base.createdAt(), base.startedAt(),
        base.finishedAt(), Map.of("learning_rates", JsonNodeFactory.instance.arrayNode().add(0.1).add(0.01)),
        base.location(), "task for-loop-2[5]/train failed: RuntimeError: CUDA out of memory", tasks, List.of());
  }

  static TaskSummary with(TaskSummary t, List<MetricSummary> metrics) {
    return new TaskSummary(t.id(), t.name(), t.parentId(), t.componentName(), t.kind(), t.iteration(), t.state(),
        t.startedAt(), t.finishedAt(), t.attempts(), t.cached(), t.image(), t.upstream(), t.outputParameters(),
        t.artifacts(), metrics, t.log(), t.logTail(), t.exitCode(), t.error());
  }

  public static RunSummary summary(String pipeline, RuntimeState state, List<TaskSummary> tasks) {
    return new RunSummary(1, pipeline, "run-1", state, T0, T0, state.isTerminal() ? T0.plusSeconds(600) : null,
        Map.of(), new RunSummary.Location("local", "kfp-runs/" + pipeline + "/run-1", null), null, tasks, List.of());
  }

  public static Task task(String id) {
    return new Task(id);
  }

  /** A task summary under construction, with the defaults of a succeeded container task. */
  public static final class Task {
    private final String id;
    private String name;
    private String parentId = "";
    private String kind = "container";
    private Integer iteration;
    private RuntimeState state = RuntimeState.SUCCEEDED;
    private Instant started = T0;
    private Duration took = Duration.ofSeconds(5);
    private int attempts = 1;
    private boolean cached;
    private final List<TaskSummary.Edge> upstream = new ArrayList<>();
    private final List<ArtifactSummary> artifacts = new ArrayList<>();
    private final List<MetricSummary> metrics = new ArrayList<>();
    private List<String> logTail = List.of();
    private String error;
    private final Map<String, JsonNode> outputs = new LinkedHashMap<>();

    private Task(String id) {
      this.id = id;
      this.name = id.substring(id.lastIndexOf('/') + 1);
    }

    public Task name(String value) {
      name = value;
      return this;
    }

    public Task in(String parent) {
      parentId = parent;
      return this;
    }

    public Task kind(String value) {
      kind = value;
      return this;
    }

    public Task iteration(int index) {
      iteration = index;
      kind = "dag";
      return this;
    }

    public Task state(RuntimeState value) {
      state = value;
      if (value == RuntimeState.SKIPPED) {
        attempts = 0;
      }
      return this;
    }

    public Task at(long secondsAfterStart, long seconds) {
      started = T0.plusSeconds(secondsAfterStart);
      took = Duration.ofSeconds(seconds);
      return this;
    }

    public Task attempts(int value) {
      attempts = value;
      return this;
    }

    public Task cached() {
      cached = true;
      attempts = 0;
      return this;
    }

    public Task data(String... from) {
      for (String f : from) {
        upstream.add(new TaskSummary.Edge(f, "data"));
      }
      return this;
    }

    public Task after(String... from) {
      for (String f : from) {
        upstream.add(new TaskSummary.Edge(f, "after"));
      }
      return this;
    }

    public Task metric(String output, String metric, double value) {
      metrics.add(new MetricSummary(id, output, metric, value));
      return this;
    }

    public Task artifact(String output, String type, long size) {
      String path = id.replace('[', '_').replace(']', '_') + "/" + output;
      artifacts.add(new ArtifactSummary(output, type, "kfp-runs/p/run-1/" + path, path, size,
          "ab".repeat(32), Map.of(), id));
      return this;
    }

    public Task log(String... lines) {
      logTail = List.of(lines);
      return this;
    }

    public Task log(List<String> lines) {
      logTail = List.copyOf(lines);
      return this;
    }

    public Task error(String value) {
      error = value;
      return this;
    }

    public Task output(String key, double value) {
      outputs.put(key, JsonNodeFactory.instance.numberNode(value));
      return this;
    }

    public TaskSummary build() {
      boolean ran = state != RuntimeState.SKIPPED && state != RuntimeState.PENDING;
      return new TaskSummary(id, name, parentId, "comp-" + name, kind, iteration, state,
          ran ? started : null, ran && state.isTerminal() ? started.plus(took) : null,
          attempts, cached, kind.equals("container") ? "python:3.11-slim" : "", upstream, outputs, artifacts,
          metrics, logTail.isEmpty() ? "" : id + "/task.log", logTail,
          kind.equals("container") && ran && state.isTerminal() ? (state == RuntimeState.FAILED ? 1 : 0) : null, error);
    }
  }

  /**
   * A generated run of {@code topLevel} container tasks (each reading one to three of the
   * thirty before it), and {@code loops} ParallelFor loops of {@code iterations} iterations with
   * {@code body} tasks each: {@code topLevel + loops * (1 + body)} tasks in the pipeline.
   * Deterministic for a seed. About one iteration in a hundred fails; some tasks are cached or
   * retried; every container task has a 20-line log tail and an artifact.
   */
  public static RunSummary generated(int topLevel, int loops, int iterations, int body, long seed) {
    Random random = new Random(seed);
    List<TaskSummary> tasks = new ArrayList<>();
    // Ten log tails, shared: generating 12,000 distinct ones would only slow the tests down.
    List<List<String>> logs = new ArrayList<>();
    for (int v = 0; v < 10; v++) {
      List<String> lines = new ArrayList<>();
      for (int k = 0; k < 20; k++) {
        lines.add("2025-06-01 10:15:" + (10 + k) + " INFO step " + k
            + ": processed 4096 records in 0.82s (5,000 records/s), loss=0.0" + v + "1");
      }
      logs.add(List.copyOf(lines));
    }
    long clock = 0;
    for (int i = 0; i < topLevel; i++) {
      String id = taskName(i);
      Task t = task(id).at(clock, 3 + random.nextInt(40)).log(logs.get(i % 10)).artifact("output", "system.Dataset", 1000L + i);
      int deps = i == 0 ? 0 : 1 + random.nextInt(3);
      for (int d = 0; d < deps; d++) {
        String from = taskName(Math.max(0, i - 1 - random.nextInt(Math.min(i, 30))));
        if (random.nextInt(4) == 0) {
          t.after(from);
        } else {
          t.data(from);
        }
      }
      if (random.nextInt(12) == 0) {
        t.cached();
      } else if (random.nextInt(25) == 0) {
        t.attempts(2);
      }
      if (i % 10 == 0) {
        t.metric("metrics", "quality", 0.5 + random.nextDouble() / 2);
      }
      tasks.add(t.build());
      clock += 2;
    }
    for (int l = 0; l < loops; l++) {
      String loop = "for-loop-" + (l + 2);
      String feeder = taskName(random.nextInt(Math.max(1, topLevel)));
      tasks.add(task(loop).kind("loop").data(topLevel > 0 ? new String[] {feeder} : new String[0]).at(clock, 900).attempts(0).build());
      for (int i = 0; i < iterations; i++) {
        String iter = loop + "[" + i + "]";
        boolean fails = random.nextInt(100) == 0;
        tasks.add(task(iter).name(loop).in(loop).iteration(i).attempts(0)
            .state(fails ? RuntimeState.FAILED : RuntimeState.SUCCEEDED).at(clock, 60).build());
        for (int b = 0; b < body; b++) {
          String id = iter + "/step-" + b;
          Task t = task(id).in(iter).at(clock + b * 10L, 9).log(logs.get(i % 10)).artifact("output", "system.Model", 20_000L + i);
          if (b > 0) {
            t.data(iter + "/step-" + (b - 1));
          }
          if (b == body - 1) {
            t.metric("metrics", "accuracy", 0.8 + random.nextDouble() / 5);
          }
          if (fails && b == body - 1) {
            t.state(RuntimeState.FAILED).error("ValueError: iteration " + i + " produced NaN loss").attempts(3);
          }
          tasks.add(t.build());
        }
      }
      clock += 30;
    }
    return new RunSummary(1, "generated-pipeline", "run-generated-" + seed, RuntimeState.FAILED, T0, T0,
        T0.plusSeconds(clock + 600), Map.of("iterations", JsonNodeFactory.instance.numberNode(iterations)),
        new RunSummary.Location("local", "kfp-runs/generated-pipeline/run-generated", null),
        "1 or more tasks failed", tasks, List.of());
  }


  private static String taskName(int i) {
    return String.format("task-%03d", i);
  }
}

package io.jenkins.plugins.kfp.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kfpci.KfpException;
import io.kfpci.deploy.DeployException;
import io.kfpci.deploy.DeployGuard;
import io.kfpci.report.ArtifactSummary;
import io.kfpci.report.GateResult;
import io.kfpci.report.RunSummary;
import io.kfpci.report.RunSummaryJson;
import io.kfpci.report.RuntimeState;
import io.kfpci.report.TaskSummary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kfpDeploy}'s decision over the summary a build stored: refused without a passing gate,
 * after a failed one, for a run that did not succeed; forced deploys said and recorded (a dry run
 * records nothing); the manifest names the run's model and where it is served from.
 */
class BuildDeployTest {
  private static final String RUN = "jenkins-12-0f1e2d3c";
  private static final GateResult PASSED = new GateResult("train/accuracy", "accuracy >= 0.9", 0.93, true,
      "0.93 >= 0.9", "fail", "passed", 0.9, null);
  private static final GateResult FAILED = new GateResult("train/f1", "f1 >= 0.9", 0.81, false,
      "0.81 is not >= 0.9", "fail", "failed", 0.9, null);

  @TempDir Path buildDir;

  private Path stored(RuntimeState state, List<GateResult> gates) throws Exception {
    ArtifactSummary model = new ArtifactSummary("model", "system.Model", "s3://mlpipeline/v2/artifacts/iris/" + RUN
        + "/train/model", null, -1, null, Map.of(), "train");
    TaskSummary train = new TaskSummary("train", "train", "", "comp-train", "container", null, state,
        Instant.parse("2026-11-28T10:00:00Z"), Instant.parse("2026-11-28T10:01:00Z"), 1, false, "", List.of(),
        Map.of(), List.of(model), List.of(), "", List.of(), 0, null);
    RunSummary summary = new RunSummary(1, "iris", RUN, state, Instant.parse("2026-11-28T10:00:00Z"), null, null,
        Map.of(), new RunSummary.Location("local", "/runs", null), null, List.of(train), gates);
    Path dir = RunStorage.directory(buildDir, RUN);
    Files.createDirectories(dir);
    RunSummaryJson.write(summary, dir.resolve(RunStorage.SUMMARY_FILE));
    return dir;
  }

  private static BuildDeploy.Options options(boolean force) {
    return new BuildDeploy.Options("iris", "models", "", "", "", "", 0, "", "2Gi", "", 0, force);
  }

  @Test
  void aSucceededRunThatPassedItsGateIsDeployedFromItsModel() throws Exception {
    Path dir = stored(RuntimeState.SUCCEEDED, List.of(PASSED));
    BuildDeploy.Planned planned = BuildDeploy.plan(dir, options(false));
    assertThat(planned.forced()).isFalse();
    assertThat(planned.target()).isEqualTo("models/iris");
    assertThat(planned.runId()).isEqualTo(RUN);
    assertThat(planned.model()).isEqualTo("train/model");
    assertThat(planned.storageUri()).isEqualTo("s3://mlpipeline/v2/artifacts/iris/" + RUN + "/train/model");
    assertThat(planned.manifestYaml()).isEqualTo("""
        apiVersion: serving.kserve.io/v1beta1
        kind: InferenceService
        metadata:
          annotations:
            kfpci.io/pipeline: iris
            kfpci.io/run-id: %s
            kfpci.io/model: train/model
          name: iris
          namespace: models
        spec:
          predictor:
            model:
              modelFormat:
                name: sklearn
              storageUri: s3://mlpipeline/v2/artifacts/iris/%s/train/model
              resources:
                requests:
                  memory: 2Gi
                limits:
                  memory: 2Gi
        """.formatted(RUN, RUN));
  }

  @Test
  void refusedWithoutAPassingGateUnlessForced() throws Exception {
    Path none = stored(RuntimeState.SUCCEEDED, List.of());
    assertThatThrownBy(() -> BuildDeploy.plan(none, options(false))).isInstanceOf(DeployException.class)
        .hasMessage("refusing to deploy models/iris: run " + RUN + " has no gate verdicts; run kfpci gate on its "
            + "summary first (kfpGate over the run first; force: true deploys anyway, and says so)");

    Path failedGate = stored(RuntimeState.SUCCEEDED, List.of(PASSED, FAILED));
    assertThatThrownBy(() -> BuildDeploy.plan(failedGate, options(false)))
        .hasMessage("refusing to deploy models/iris: run " + RUN + " did not pass its gate: f1 >= 0.9 failed "
            + "(0.81 is not >= 0.9) (kfpGate over the run first; force: true deploys anyway, and says so)");

    Path failedRun = stored(RuntimeState.FAILED, List.of(PASSED));
    assertThatThrownBy(() -> BuildDeploy.plan(failedRun, options(false)))
        .hasMessageStartingWith("refusing to deploy models/iris: run " + RUN + " is FAILED, not SUCCEEDED");
  }

  @Test
  void aForcedDeployIsRecordedAndDoesNotMakeTheNextOnePass() throws Exception {
    Path dir = stored(RuntimeState.SUCCEEDED, List.of(FAILED));
    BuildDeploy.Planned planned = BuildDeploy.plan(dir, options(true));
    assertThat(planned.forced()).isTrue();
    assertThat(planned.refusal()).isEqualTo("run " + RUN + " did not pass its gate: f1 >= 0.9 failed (0.81 is not >= 0.9)");
    // plan() alone writes nothing: a forced dry run leaves the summary as it was.
    assertThat(RunSummaryJson.read(dir.resolve(RunStorage.SUMMARY_FILE)).gates()).containsExactly(FAILED);

    BuildDeploy.recordForced(dir, planned);
    List<GateResult> gates = RunSummaryJson.read(dir.resolve(RunStorage.SUMMARY_FILE)).gates();
    assertThat(gates).hasSize(2);
    assertThat(gates.get(1)).isEqualTo(DeployGuard.forcedRecord("models/iris", planned.refusal()));
    assertThatThrownBy(() -> BuildDeploy.plan(dir, options(false))).hasMessageContaining("did not pass its gate");
  }

  @Test
  void theRunIsTheBuildsLastOrOneItNames() throws Exception {
    assertThat(BuildDeploy.runId(List.of("a-1", "a-2"), "")).isEqualTo("a-2");
    assertThat(BuildDeploy.runId(List.of("a-1", "a-2"), "a-1")).isEqualTo("a-1");
    assertThatThrownBy(() -> BuildDeploy.runId(List.of(), "")).isInstanceOf(KfpException.class)
        .hasMessage("this build has no Kubeflow run to deploy; call kfpRun and kfpGate first, or give runId");
    assertThatThrownBy(() -> BuildDeploy.runId(List.of("a-1"), "b-9"))
        .hasMessage("this build has no run 'b-9'; its runs are [a-1]");
  }

  @Test
  void anotherUriIsServedAndBadOptionsAreRefusedByTheCore() throws Exception {
    Path dir = stored(RuntimeState.SUCCEEDED, List.of(PASSED));
    BuildDeploy.Planned promoted = BuildDeploy.plan(dir, new BuildDeploy.Options("iris", "", "train/model",
        "s3://releases/iris/7/", "", "", 0, "", "", "", 0, false));
    assertThat(promoted.target()).isEqualTo("default/iris");
    assertThat(promoted.storageUri()).isEqualTo("s3://releases/iris/7/");
    assertThat(promoted.manifestYaml()).contains("\n      storageUri: s3://releases/iris/7/\n")
        .contains("\n  namespace: default\n").contains("\n    kfpci.io/model: train/model\n");
    assertThatThrownBy(() -> BuildDeploy.plan(dir, new BuildDeploy.Options("Iris_1", "", "", "", "", "", 0, "", "", "",
        0, false))).isInstanceOf(DeployException.class).hasMessageContaining("Iris_1");
  }
}

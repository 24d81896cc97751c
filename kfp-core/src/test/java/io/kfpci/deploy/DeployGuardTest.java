package io.kfpci.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kfpci.report.ArtifactSummary;
import io.kfpci.report.GateResult;
import io.kfpci.report.RunSummary;
import io.kfpci.report.RuntimeState;
import io.kfpci.report.SummaryFixtures;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeployGuardTest {
  private static final GateResult PASSED = new GateResult("evaluate/metrics/test_accuracy", "test_accuracy >= 0.85",
      0.87, true, "0.87 >= 0.85", "fail", "passed", 0.85, null);
  private static final GateResult FAILED = new GateResult("evaluate/metrics/test_f1", "test_f1 >= 0.9",
      0.81, false, "0.81 is not >= 0.9", "fail", "failed", 0.9, null);

  @Test
  void aSucceededRunWithEveryGateHeldMayBeDeployed() {
    assertThat(DeployGuard.refusal(SummaryFixtures.seedRun().withGates(List.of(PASSED)))).isEmpty();
  }

  @Test
  void refusesWithoutGatesWithAFailedGateOrAFailedRun() {
    RunSummary seed = SummaryFixtures.seedRun();
    assertThat(DeployGuard.refusal(seed.withGates(List.of())))
        .isEqualTo("run " + seed.runId() + " has no gate verdicts; run kfpci gate on its summary first");
    assertThat(DeployGuard.refusal(seed.withGates(List.of(PASSED, FAILED))))
        .isEqualTo("run " + seed.runId() + " did not pass its gate: test_f1 >= 0.9 failed (0.81 is not >= 0.9)");
    RunSummary failedRun = new RunSummary(1, seed.pipelineName(), seed.runId(), RuntimeState.FAILED, seed.createdAt(),
        null, null, null, seed.location(), "boom", seed.tasks(), List.of(PASSED));
    assertThat(DeployGuard.refusal(failedRun)).isEqualTo("run " + seed.runId() + " is FAILED, not SUCCEEDED");
    // A forced deploy's own record is not a gate verdict: it does not make the next deploy pass.
    assertThat(DeployGuard.refusal(seed.withGates(List.of(DeployGuard.forcedRecord("models/churn", "x")))))
        .isEqualTo("run " + seed.runId() + " has no gate verdicts; run kfpci gate on its summary first");
  }

  @Test
  void findsTheOnlyModelAndTheUriACusterCanRead() throws Exception {
    RunSummary seed = SummaryFixtures.seedRun();
    ArtifactSummary model = ModelArtifacts.select(seed, null);
    assertThat(ModelArtifacts.id(model)).isEqualTo("train/model");
    assertThatThrownBy(() -> ModelArtifacts.storageUri(model))
        .hasMessageStartingWith("the model train/model is at '" + model.uri() + "', which a cluster cannot read");
    assertThat(ModelArtifacts.storageUri(new ArtifactSummary("model", "system.Model", "minio://mlpipeline/v2/artifacts/p/r/train/model",
        null, -1, null, Map.of(), "train"))).isEqualTo("s3://mlpipeline/v2/artifacts/p/r/train/model");
    assertThat(ModelArtifacts.storageUri(new ArtifactSummary("model", "system.Model", "gs://bucket/m", null, -1, null,
        Map.of(), "train"))).isEqualTo("gs://bucket/m");
    assertThatThrownBy(() -> ModelArtifacts.select(seed, "evaluate/model"))
        .hasMessage("run " + seed.runId() + " has no model artifact evaluate/model; its models: train/model");
  }

  @Test
  void aRunWithoutAModelSaysWhatItHas() {
    RunSummary seed = SummaryFixtures.seedRun();
    RunSummary noModel = new RunSummary(1, seed.pipelineName(), seed.runId(), seed.state(), seed.createdAt(), null, null,
        null, seed.location(), null, List.of(), List.of());
    assertThatThrownBy(() -> ModelArtifacts.select(noModel, null))
        .hasMessage("run " + seed.runId() + " has no artifacts, so no model to deploy");
  }
}

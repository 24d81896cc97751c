package io.jenkins.plugins.kfp.internal;

import io.kfpci.KfpException;
import io.kfpci.deploy.DeployException;
import io.kfpci.deploy.DeployGuard;
import io.kfpci.deploy.InferenceServiceSpec;
import io.kfpci.deploy.InferenceServices;
import io.kfpci.deploy.ModelArtifacts;
import io.kfpci.report.ArtifactSummary;
import io.kfpci.report.GateResult;
import io.kfpci.report.RunSummary;
import io.kfpci.report.RunSummaryJson;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code kfpDeploy}'s decision without Jenkins, as {@code kfpci deploy} makes it: the run's summary
 * stored in the build (never one an agent reports now) must show it SUCCEEDED and passed its gate
 * ({@link DeployGuard}); else the deploy is refused unless forced, and a forced deploy is recorded
 * in that summary as a gate verdict of its own, so the run view keeps saying so. The
 * InferenceService's manifest is built here, on the controller, from the stored summary.
 */
public final class BuildDeploy {
  private BuildDeploy() {}

  /** The step's options; "" and 0 mean the core's defaults. */
  public record Options(String name, String namespace, String model, String storageUri, String modelFormat,
      String runtime, int gpus, String cpu, String memory, String serviceAccount, int canaryPercent, boolean force) {}

  /**
   * What is deployed: the run, {@code namespace/name}, why the gate did not allow it ("" when it
   * did), the model's id, the URI served and the manifest as YAML.
   */
  public record Planned(String runId, String target, String refusal, String model, String storageUri,
      String manifestYaml) {
    public boolean forced() {
      return !refusal.isEmpty();
    }
  }

  /**
   * Checks the gate and builds the manifest.
   *
   * @param runDirectory the run's storage directory in the build ({@link RunStorage#directory})
   * @throws KfpException when refused (and not forced), or the model or the options are wrong
   */
  public static Planned plan(Path runDirectory, Options o) throws KfpException {
    RunSummary summary = RunSummaryJson.read(runDirectory.resolve(RunStorage.SUMMARY_FILE));
    String namespace = o.namespace().isEmpty() ? "default" : o.namespace();
    String target = namespace + "/" + o.name();
    String refusal = refusal(summary, target, o.force());
    String model;
    String uri;
    if (o.storageUri().isEmpty()) {
      ArtifactSummary artifact = ModelArtifacts.select(summary, o.model().isEmpty() ? null : o.model());
      model = ModelArtifacts.id(artifact);
      uri = ModelArtifacts.storageUri(artifact);
    } else {
      // Served from elsewhere (a promoted copy): the model named, if any, is only recorded.
      model = o.model();
      uri = o.storageUri();
    }
    InferenceServiceSpec spec = InferenceServiceSpec.builder().name(o.name()).namespace(namespace)
        .modelFormat(o.modelFormat().isEmpty() ? "sklearn" : o.modelFormat())
        .runtime(o.runtime().isEmpty() ? null : o.runtime()).storageUri(uri).gpus(o.gpus())
        .cpu(o.cpu().isEmpty() ? null : o.cpu()).memory(o.memory().isEmpty() ? null : o.memory())
        .serviceAccount(o.serviceAccount().isEmpty() ? null : o.serviceAccount())
        .canaryTrafficPercent(o.canaryPercent() > 0 ? o.canaryPercent() : null)
        .annotation("kfpci.io/pipeline", summary.pipelineName()).annotation("kfpci.io/run-id", summary.runId())
        .annotation("kfpci.io/model", model).build();
    return new Planned(summary.runId(), target, refusal, model, uri,
        InferenceServices.yaml(InferenceServices.manifest(spec)));
  }

  /**
   * Why the gate does not allow deploying or promoting the run stored in {@code runDirectory} to
   * {@code target} ("" when it does), from the summary the build stored.
   *
   * @throws DeployException when it does not and {@code force} is false
   */
  public static String refusal(Path runDirectory, String target, boolean force) throws KfpException {
    return refusal(RunSummaryJson.read(runDirectory.resolve(RunStorage.SUMMARY_FILE)), target, force);
  }

  private static String refusal(RunSummary summary, String target, boolean force) throws DeployException {
    String refusal = DeployGuard.refusal(summary);
    if (!refusal.isEmpty() && !force) {
      throw new DeployException("refusing to deploy " + target + ": " + refusal
          + " (kfpGate over the run first; force: true deploys anyway, and says so)");
    }
    return refusal;
  }

  /** The run to deploy: the one named, or the build's last; its id names its storage directory. */
  public static String runId(List<String> buildRuns, String runId) throws KfpException {
    if (runId.isEmpty()) {
      if (buildRuns.isEmpty()) {
        throw new KfpException("this build has no Kubeflow run to deploy; call kfpRun and kfpGate first, or give runId");
      }
      return buildRuns.get(buildRuns.size() - 1);
    }
    if (!buildRuns.contains(runId)) {
      throw new KfpException("this build has no run '" + runId + "'; its runs are " + buildRuns);
    }
    return runId;
  }

  /** Records a forced deploy in the stored summary, as {@code kfpci deploy --force} does. */
  public static void recordForced(Path runDirectory, Planned planned) throws KfpException, IOException {
    recordForced(runDirectory, planned.target(), planned.refusal());
  }

  /** Records a forced deploy or promotion to {@code target} in the stored summary. */
  public static void recordForced(Path runDirectory, String target, String refusal) throws KfpException, IOException {
    Path file = runDirectory.resolve(RunStorage.SUMMARY_FILE);
    RunSummary summary = RunSummaryJson.read(file);
    List<GateResult> gates = new ArrayList<>(summary.gates());
    gates.add(DeployGuard.forcedRecord(target, refusal));
    RunSummaryJson.write(summary.withGates(gates), file);
  }
}

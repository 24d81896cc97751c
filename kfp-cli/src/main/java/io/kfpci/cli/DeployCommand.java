package io.kfpci.cli;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kfpci.deploy.DeployException;
import io.kfpci.deploy.DeployGuard;
import io.kfpci.deploy.InferenceServiceSpec;
import io.kfpci.deploy.InferenceServices;
import io.kfpci.deploy.KServeDeployer;
import io.kfpci.deploy.ModelArtifacts;
import io.kfpci.deploy.ModelPromoter;
import io.kfpci.k8s.Clusters;
import io.kfpci.report.ArtifactSummary;
import io.kfpci.report.GateResult;
import io.kfpci.report.RunSummary;
import io.kfpci.report.RunSummaryJson;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code kfpci deploy}: ship a run's model to KServe, only after its gate passed (docs/deploy.md). */
@Command(name = "deploy",
    description = {"Deploy a run's model as a KServe InferenceService and wait until it is ready; roll back when it "
        + "is not. Refuses a run without a passing gate verdict (kfpci gate) unless --force.",
        "Exit code: 0 deployed and ready (or --dry-run), 1 refused, or not ready and rolled back."})
final class DeployCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(paramLabel = "SUMMARY.json", description = "The run summary, with gate verdicts from kfpci gate.")
  Path summaryFile;

  @Option(names = "--name", paramLabel = "NAME",
      description = "The InferenceService's name (required unless --promote alone).")
  String name;

  @Option(names = "--promote", paramLabel = "s3://BUCKET/PREFIX/",
      description = "Copy the model to this release prefix of the object store, with a release.json (run, metrics, "
          + "gate verdicts, git commit); with --name, KServe then serves the promoted copy.")
  String promote;

  @Option(names = "--git-commit", paramLabel = "SHA", description = "The commit recorded with a promotion (default: $GIT_COMMIT).")
  String gitCommit;

  @Mixin ObjectStoreCliOptions store;

  @Option(names = "--namespace", paramLabel = "NAMESPACE", defaultValue = "default", description = "Its namespace (default: default).")
  String namespace;

  @Option(names = "--model", paramLabel = "TASK/OUTPUT", description = "The model artifact, when the run has several.")
  String model;

  @Option(names = "--storage-uri", paramLabel = "URI",
      description = "Serve the model from this URI instead of the artifact's (e.g. after promoting it).")
  String storageUri;

  @Option(names = "--model-format", paramLabel = "FORMAT", defaultValue = "sklearn",
      description = "KServe model format: sklearn (default), xgboost, pytorch, onnx, tensorflow, huggingface, ...")
  String modelFormat;

  @Option(names = "--runtime", paramLabel = "RUNTIME", description = "A ServingRuntime to use instead of KServe's choice.")
  String runtime;

  @Option(names = "--gpus", paramLabel = "N", defaultValue = "0", description = "GPUs for the predictor (nvidia.com/gpu).")
  int gpus;

  @Option(names = "--cpu", paramLabel = "CPU", description = "CPU request and limit of the predictor.")
  String cpu;

  @Option(names = "--memory", paramLabel = "SIZE", description = "Memory request and limit of the predictor.")
  String memory;

  @Option(names = "--service-account", paramLabel = "NAME", description = "The predictor's service account (object store credentials).")
  String serviceAccount;

  @Option(names = "--canary-percent", paramLabel = "P", description = "Send P% of traffic to the new model (KServe canary).")
  Integer canary;

  @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "600",
      description = "How long to wait for Ready before rolling back (default 600).")
  long timeoutSeconds;

  @Option(names = "--dry-run", description = "Print the InferenceService and change nothing.")
  boolean dryRun;

  @Option(names = "--force", description = "Deploy even without a passing gate; the override is recorded in the summary.")
  boolean force;

  @Option(names = "--kubeconfig", paramLabel = "FILE", description = "Kubeconfig (default: $KUBECONFIG, ~/.kube/config, or in-cluster).")
  Path kubeconfig;

  @Option(names = "--context", paramLabel = "CONTEXT", description = "Kubeconfig context (default: its current context).")
  String context;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    RunSummary summary = RunSummaryJson.read(summaryFile);
    if (name == null && promote == null) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(),
          "give --name NAME (a KServe InferenceService) or --promote s3://BUCKET/PREFIX/, or both");
    }
    String refusal = DeployGuard.refusal(summary);
    String target = name == null ? promote : namespace + "/" + name;
    if (!refusal.isEmpty() && !force) {
      throw new DeployException("refusing to deploy " + target + ": " + refusal + " (--force deploys anyway, and says so)");
    }
    ArtifactSummary artifact = ModelArtifacts.select(summary, model);
    if (!refusal.isEmpty()) {
      // Said on both streams: the console of a CI build keeps stdout, a terminal shows stderr.
      String warning = "WARNING: deploying " + target + " without a passing gate (--force): " + refusal;
      out.println(warning);
      spec.commandLine().getErr().println(warning);
      if (!dryRun) {
        record(summary, DeployGuard.forcedRecord(target, refusal));
      }
    }
    String servedFrom = storageUri;
    if (promote != null) {
      ModelPromoter.Promotion promotion = promote(summary, artifact, out);
      out.println("promoted " + ModelArtifacts.id(artifact) + " of run " + summary.runId() + " to " + promotion.uri()
          + " (" + promotion.release() + ")");
      if (name == null) {
        return ExitCodes.OK;
      }
      servedFrom = servedFrom != null ? servedFrom : promotion.uri();
    }
    InferenceServiceSpec isvc = InferenceServiceSpec.builder().name(name).namespace(namespace).modelFormat(modelFormat)
        .runtime(runtime).storageUri(servedFrom != null ? servedFrom : ModelArtifacts.storageUri(artifact))
        .gpus(gpus).cpu(cpu).memory(memory).serviceAccount(serviceAccount).canaryTrafficPercent(canary)
        .annotation("kfpci.io/pipeline", summary.pipelineName()).annotation("kfpci.io/run-id", summary.runId())
        .annotation("kfpci.io/model", ModelArtifacts.id(artifact)).build();
    GenericKubernetesResource manifest = InferenceServices.manifest(isvc);
    if (dryRun) {
      out.print(InferenceServices.yaml(manifest));
      out.flush();
      return ExitCodes.OK;
    }
    try (KubernetesClient client = Clusters.connect(kubeconfig, context)) {
      KServeDeployer.Outcome outcome = new KServeDeployer(client, Duration.ofSeconds(timeoutSeconds), Duration.ofSeconds(2))
          .deploy(manifest, line -> {
            out.println(line);
            out.flush();
          });
      out.println("deployed " + ModelArtifacts.id(artifact) + " of run " + summary.runId() + " as " + target
          + (outcome.created() ? " (new)" : " (updated)"));
    }
    return ExitCodes.OK;
  }

  private ModelPromoter.Promotion promote(RunSummary summary, ArtifactSummary artifact, PrintWriter out)
      throws io.kfpci.KfpException, InterruptedException {
    if (dryRun) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--dry-run does not promote; leave out --promote");
    }
    // A local run's files are in its run directory, the summary's own directory.
    Path runDirectory = "local".equals(summary.location().kind()) ? summaryFile.toAbsolutePath().getParent() : null;
    String commit = gitCommit != null ? gitCommit : store.environment.get("GIT_COMMIT");
    ModelPromoter promoter = new ModelPromoter(store.builder("--promote").build(), java.time.Clock.systemUTC());
    return promoter.promote(summary, artifact, runDirectory, promote, commit, line -> {
      out.println(line);
      out.flush();
    });
  }

  private void record(RunSummary summary, GateResult forced) throws DeployException {
    List<GateResult> gates = new ArrayList<>(summary.gates());
    gates.add(forced);
    try {
      RunSummaryJson.write(summary.withGates(gates), summaryFile);
    } catch (IOException e) {
      throw new DeployException("cannot record the forced deploy in " + summaryFile + ": " + e, e, false);
    }
  }
}

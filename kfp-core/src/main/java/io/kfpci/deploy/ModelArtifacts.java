package io.kfpci.deploy;

import io.kfpci.report.ArtifactSummary;
import io.kfpci.report.RunSummary;
import java.util.List;

/** Finds the model a deploy ships, and the storage URI KServe reads it from. */
public final class ModelArtifacts {
  public static final String MODEL_TYPE = "system.Model";

  private ModelArtifacts() {}

  /**
   * The run's model artifact: the only {@code system.Model}, or the one named {@code task/output}.
   *
   * @param ref {@code task/output}, or null to take the only model
   */
  public static ArtifactSummary select(RunSummary summary, String ref) throws DeployException {
    List<ArtifactSummary> models = summary.artifacts().stream().filter(a -> MODEL_TYPE.equals(a.type())).toList();
    List<String> names = models.stream().map(ModelArtifacts::id).toList();
    if (ref != null) {
      return models.stream().filter(a -> id(a).equals(ref)).findFirst().orElseThrow(() -> new DeployException(
          "run " + summary.runId() + " has no model artifact " + ref
              + (names.isEmpty() ? " (it has no system.Model artifact at all)" : "; its models: " + String.join(", ", names))));
    }
    if (models.isEmpty()) {
      return summary.artifacts().isEmpty()
          ? fail("run " + summary.runId() + " has no artifacts, so no model to deploy")
          : fail("run " + summary.runId() + " has no system.Model artifact to deploy (its artifacts: "
              + String.join(", ", summary.artifacts().stream().map(a -> id(a) + " (" + a.type() + ")").toList()) + ")");
    }
    if (models.size() > 1) {
      return fail("run " + summary.runId() + " has " + models.size() + " models (" + String.join(", ", names)
          + "); name one with --model TASK/OUTPUT");
    }
    return models.get(0);
  }

  private static ArtifactSummary fail(String message) throws DeployException {
    throw new DeployException(message);
  }

  /** {@code task/output}. */
  public static String id(ArtifactSummary a) {
    return a.producerTaskId() + "/" + a.name();
  }

  /**
   * The URI KServe's storage initializer reads: {@code s3://} and {@code gs://} as they are, KFP's
   * {@code minio://bucket/key} (its in-cluster MinIO) as {@code s3://bucket/key}. A local run's
   * model is a file on this machine, which a cluster cannot read.
   */
  public static String storageUri(ArtifactSummary model) throws DeployException {
    String uri = model.uri();
    if (uri.startsWith("s3://") || uri.startsWith("gs://") || uri.startsWith("https://") || uri.startsWith("pvc://")
        || uri.startsWith("oci://") || uri.startsWith("hf://")) {
      return uri;
    }
    if (uri.startsWith("minio://")) {
      return "s3://" + uri.substring("minio://".length());
    }
    throw new DeployException("the model " + id(model) + " is at '" + uri + "', which a cluster cannot read (a local run "
        + "keeps its artifacts on this machine); promote it to an object store first (kfpci deploy --promote) or give "
        + "--storage-uri");
  }
}

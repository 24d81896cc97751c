package io.kfpci.client;

import io.kfpci.client.KfpApi.Pipeline;
import io.kfpci.client.KfpApi.PipelineVersion;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Upload-or-version, idempotently. The SHA-256 of the canonical IR is recorded in the version's
 * description ({@code [kfpci-sha256:<hex>]}): a description survives a round trip on a real 2.17.0
 * server, and a tag value cannot hold 64 hex digits (63 characters at most). So:
 * <ul>
 *   <li>a pipeline that does not exist is uploaded; KFP names its first version after the pipeline
 *       and gives it the pipeline's description, which therefore carries the hash too;
 *   <li>a version whose description carries the hash means unchanged content: nothing is created;
 *   <li>otherwise a version named by the pattern is uploaded.
 * </ul>
 * A 409 (someone uploaded concurrently) or a lost answer leads to a new look-up, so two uploads of
 * the same content end with one version.
 */
public final class PipelineUploader {
  public static final String HASH_MARK = "kfpci-sha256:";

  /**
   * @param created true when this call created the pipeline or the version
   * @param pipelineCreated true when the pipeline itself was new (its first version named after it)
   */
  public record Result(Pipeline pipeline, PipelineVersion version, boolean created, boolean pipelineCreated,
      String sha256) {}

  private final KfpClient client;

  public PipelineUploader(KfpClient client) {
    this.client = Objects.requireNonNull(client, "client");
  }

  /**
   * Makes sure the server holds this content as a version of pipeline {@code pipelineName}.
   *
   * @param versionName the name for a new version (see {@link #versionName})
   * @param description a description to put before the hash mark, or null
   */
  public Result upload(PipelinePackage pkg, String pipelineName, String versionName, String description)
      throws KfpApiException, InterruptedException {
    String marked = (description == null || description.isBlank() ? "" : description.strip() + " ")
        + "[" + HASH_MARK + pkg.sha256() + "]";
    int max = client.connection().retry().maxAttempts();
    for (int attempt = 1; ; attempt++) {
      Optional<Pipeline> existing = client.findPipeline(pipelineName);
      try {
        if (existing.isEmpty()) {
          Pipeline created = client.uploadPipeline(pipelineName, marked, pkg.fileName(), pkg.content());
          PipelineVersion first = withHash(created, pkg.sha256())
              .orElseThrow(() -> new KfpApiException("KFP created pipeline " + pipelineName + " but lists no version "
                  + "carrying its hash; its first version is missing", 0, "", "GET", "/apis/v2beta1/pipelines", false, null));
          return new Result(created, first, true, true, pkg.sha256());
        }
        Optional<PipelineVersion> same = withHash(existing.get(), pkg.sha256());
        if (same.isPresent()) {
          return new Result(existing.get(), same.get(), false, false, pkg.sha256());
        }
        PipelineVersion version = client.uploadPipelineVersion(existing.get().pipelineId(), versionName, marked,
            pkg.fileName(), pkg.content());
        return new Result(existing.get(), version, true, false, pkg.sha256());
      } catch (KfpApiException e) {
        if (e.isConflict()) {
          // Someone else created the pipeline or a version of that name: look again.
          Optional<Pipeline> now = client.findPipeline(pipelineName);
          if (now.isPresent()) {
            Optional<PipelineVersion> same = withHash(now.get(), pkg.sha256());
            if (same.isPresent()) {
              return new Result(now.get(), same.get(), false, false, pkg.sha256());
            }
            if (existing.isPresent()) {
              throw new KfpApiException("pipeline " + pipelineName + " already has a version named '" + versionName
                  + "' with other content; choose another version name (--version-name)", e.status(),
                  e.serverMessage(), e.method(), e.path(), false, e);
            }
          }
        }
        if (!(e.isConflict() || e.isRetryable()) || attempt >= max) {
          throw e;
        }
        Thread.sleep(client.connection().retry().delay(attempt, new java.util.Random()).toMillis());
      }
    }
  }

  private Optional<PipelineVersion> withHash(Pipeline pipeline, String sha256) throws KfpApiException, InterruptedException {
    List<PipelineVersion> versions = client.allPipelineVersions(pipeline.pipelineId());
    String mark = HASH_MARK + sha256;
    return versions.stream().filter(v -> v.description() != null && v.description().contains(mark)).findFirst();
  }

  /**
   * A version name from a pattern: {@code {git}} the short commit (or "nogit"), {@code {hash8}} and
   * {@code {hash}} the content hash. The default pattern is {@code {git}-{hash8}}.
   */
  public static String versionName(String pattern, String gitShortSha, PipelinePackage pkg) {
    String p = pattern == null || pattern.isBlank() ? "{git}-{hash8}" : pattern;
    String name = p.replace("{git}", gitShortSha == null || gitShortSha.isBlank() ? "nogit" : gitShortSha)
        .replace("{hash8}", pkg.hash8()).replace("{hash}", pkg.sha256());
    if (name.contains("{") || name.contains("}")) {
      throw new IllegalArgumentException("unknown placeholder in version name pattern '" + pattern
          + "'; use {git}, {hash8} and {hash}");
    }
    return name;
  }
}

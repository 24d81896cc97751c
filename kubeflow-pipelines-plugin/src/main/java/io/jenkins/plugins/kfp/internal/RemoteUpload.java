package io.jenkins.plugins.kfp.internal;

import io.kfpci.KfpException;
import io.kfpci.client.Credentials;
import io.kfpci.client.KfpClient;
import io.kfpci.client.KfpConnection;
import io.kfpci.client.PipelinePackage;
import io.kfpci.client.PipelineUploader;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * {@code kfpUpload} without Jenkins: a connection to a configured endpoint, with the bearer token
 * from a supplier (the credential, resolved at use time and kept only in memory), and the core's
 * idempotent upload-or-version ({@link PipelineUploader}, as {@code kfpci upload}).
 */
public final class RemoteUpload {
  private RemoteUpload() {}

  /**
   * A connection to an endpoint of the global configuration.
   *
   * @param credentialsId the credential the token comes from, "" for none; named in messages only
   * @param token supplies the token when a request is made; never stored in the connection's text
   */
  public static KfpConnection connection(String endpointName, String url, String namespace, String credentialsId,
      Supplier<String> token, Consumer<String> warnings) throws KfpException {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw new KfpException("endpoint " + endpointName + ": '" + url + "' is not a URL; fix it in Manage Jenkins, "
          + "Kubeflow Pipelines", e);
    }
    Credentials credentials = credentialsId.isEmpty() ? Credentials.none()
        : Credentials.builder().tokenVariable("credential " + credentialsId, token).build();
    return KfpConnection.builder(uri).name(endpointName).namespace(namespace).credentials(credentials)
        .warnings(warnings).build();
  }

  /** The first 7 characters of a commit id such as {@code $GIT_COMMIT}, or null when it is not one. */
  public static String gitShortSha(String commit) {
    return commit != null && commit.matches("[0-9a-fA-F]{7,40}") ? commit.substring(0, 7).toLowerCase(Locale.ROOT)
        : null;
  }

  /**
   * Makes sure the server holds this content as a version of the pipeline. Returns what
   * {@code kfpUpload} returns: {@code [pipelineId:, pipelineName:, versionId:, versionName:,
   * created:, pipelineCreated:, sha256:]}; {@code created} is false when the content was there.
   *
   * @param pipelineName the pipeline's name on the server, "" for the IR's {@code pipelineInfo.name}
   * @param versionPattern the name of a new version: {@code {git}}, {@code {hash8}}, {@code {hash}}
   *     are replaced; "" for {@code {git}-{hash8}}
   */
  public static Map<String, Object> upload(KfpConnection connection, String fileName, byte[] content,
      String pipelineName, String versionPattern, String gitShortSha, String description)
      throws KfpException, InterruptedException {
    PipelinePackage pkg = PipelinePackage.of(fileName, content);
    String name = pipelineName.isEmpty() ? pkg.pipelineName() : pipelineName;
    String version;
    try {
      version = PipelineUploader.versionName(versionPattern, gitShortSha, pkg);
    } catch (IllegalArgumentException e) {
      throw new KfpException("versionName: " + e.getMessage(), e);
    }
    PipelineUploader.Result r;
    try (KfpClient client = KfpClient.connect(connection)) {
      r = new PipelineUploader(client).upload(pkg, name, version, description.isEmpty() ? null : description);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("pipelineId", r.pipeline().pipelineId());
    out.put("pipelineName", r.pipeline().name());
    out.put("versionId", r.version().pipelineVersionId());
    out.put("versionName", r.version().name());
    out.put("created", r.created());
    out.put("pipelineCreated", r.pipelineCreated());
    out.put("sha256", r.sha256());
    return out;
  }

  /**
   * A failure as the step reports it: the core's message, and for a refused credential where the
   * token came from in Jenkins (the core's hint names the command line's options).
   */
  public static String explain(KfpException e, String endpointName, String credentialsId) {
    boolean refused = e instanceof io.kfpci.client.KfpApiException api && (api.status() == 401 || api.status() == 403);
    return e.getMessage() + (!refused ? "" : credentialsId.isEmpty()
        ? "\nEndpoint " + endpointName + " has no credential: choose a Secret text credential for it in Manage Jenkins, "
            + "Kubeflow Pipelines"
        : "\nThe token is the Secret text credential '" + credentialsId + "' of endpoint " + endpointName
            + ": renew it in Manage Jenkins, Credentials");
  }

  /** One console line for the result. */
  public static String describe(Map<String, Object> result, String endpointName) {
    if (!(Boolean) result.get("created")) {
      return "[kfp] unchanged: pipeline " + result.get("pipelineName") + " on " + endpointName
          + " already has this content as version '" + result.get("versionName") + "' (" + result.get("versionId")
          + "); nothing uploaded";
    }
    if ((Boolean) result.get("pipelineCreated")) {
      return "[kfp] created pipeline " + result.get("pipelineName") + " (" + result.get("pipelineId") + ") on "
          + endpointName + " with version '" + result.get("versionName") + "' (" + result.get("versionId") + ")";
    }
    return "[kfp] created version '" + result.get("versionName") + "' (" + result.get("versionId") + ") of pipeline "
        + result.get("pipelineName") + " on " + endpointName;
  }
}

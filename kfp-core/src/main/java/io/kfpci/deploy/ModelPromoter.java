package io.kfpci.deploy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kfpci.KfpException;
import io.kfpci.artifacts.ArtifactLocation;
import io.kfpci.artifacts.ObjectStoreException;
import io.kfpci.artifacts.ObjectStoreOptions;
import io.kfpci.artifacts.ObjectStores;
import io.kfpci.files.SafePaths;
import io.kfpci.report.ArtifactSummary;
import io.kfpci.report.GateResult;
import io.kfpci.report.MetricSummary;
import io.kfpci.report.RunSummary;
import io.minio.CopyObjectArgs;
import io.minio.CopySource;
import io.minio.Directive;
import io.minio.ListObjectsArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.Result;
import io.minio.StatObjectArgs;
import io.minio.StatObjectResponse;
import io.minio.errors.MinioException;
import io.minio.messages.Item;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Promotes a gated run's model to a release prefix of an S3-compatible store, for teams that serve
 * models without KServe: the model's files land under {@code <prefix><output name>} (a directory
 * model keeps its layout), each object carrying the run id, pipeline, model and git commit as
 * user metadata, and {@code <prefix>release.json} records where it came from, its metrics, its
 * gate verdicts and every object's size and SHA-256. A local run's model is uploaded from the run
 * directory; a remote run's is copied inside the store, never through this machine.
 */
public final class ModelPromoter {
  public static final String RELEASE_FILE = "release.json";

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** One object written under the release prefix; {@code sha256} is null for a copy inside the store. */
  public record PromotedObject(String key, long size, String sha256) {}

  /**
   * @param uri where the model now is, e.g. {@code s3://models/releases/churn/model} (what KServe serves)
   * @param release the release record's URI
   */
  public record Promotion(String uri, String release, List<PromotedObject> objects) {
    public Promotion {
      objects = List.copyOf(objects);
    }
  }

  private final ObjectStoreOptions options;
  private final MinioClient client;
  private final Clock clock;

  public ModelPromoter(ObjectStoreOptions options, Clock clock) {
    this.options = options;
    this.client = ObjectStores.client(options);
    this.clock = clock;
  }

  /**
   * @param runDirectory a local run's directory (where {@code model.path()} is relative to), or null for a remote run
   * @param target {@code s3://bucket/prefix/}; the prefix names a folder
   * @param gitCommit the commit the pipeline was built from, or null
   */
  public Promotion promote(RunSummary summary, ArtifactSummary model, Path runDirectory, String target,
      String gitCommit, Consumer<String> progress) throws KfpException, InterruptedException {
    ArtifactLocation release = releaseLocation(target);
    String prefix = release.key() + "/";
    Map<String, String> metadata = new LinkedHashMap<>();
    metadata.put("kfpci-pipeline", ascii(summary.pipelineName()));
    metadata.put("kfpci-run-id", ascii(summary.runId()));
    metadata.put("kfpci-model", ascii(ModelArtifacts.id(model)));
    if (gitCommit != null && !gitCommit.isBlank()) {
      metadata.put("kfpci-git-commit", ascii(gitCommit));
    }
    String base = prefix + model.name();
    List<PromotedObject> objects = model.path() != null && runDirectory != null
        ? upload(runDirectory, model, release.bucket(), base, metadata, progress)
        : copy(model, release.bucket(), base, metadata, progress);
    if (objects.isEmpty()) {
      throw new DeployException("the model " + ModelArtifacts.id(model) + " has no files to promote (" + model.uri() + ")");
    }
    byte[] record = releaseRecord(summary, model, objects, gitCommit, "s3://" + release.bucket() + "/" + base);
    ArtifactLocation recordAt = new ArtifactLocation("s3", release.bucket(), prefix + RELEASE_FILE);
    put(recordAt, new ByteArrayInputStream(record), record.length, "application/json", metadata);
    progress.accept("wrote " + recordAt);
    return new Promotion("s3://" + release.bucket() + "/" + base, recordAt.toString(), objects);
  }

  /** Parses {@code s3://bucket/prefix/} (or {@code minio://}); the prefix must be a plain key. */
  static ArtifactLocation releaseLocation(String target) throws DeployException {
    try {
      return ArtifactLocation.parse(target, ObjectStoreOptions.KFP_BUCKET);
    } catch (IllegalArgumentException e) {
      throw new DeployException("--promote " + target + ": " + e.getMessage() + "; give s3://BUCKET/PREFIX/");
    }
  }

  private List<PromotedObject> upload(Path runDirectory, ArtifactSummary model, String bucket, String base,
      Map<String, String> metadata, Consumer<String> progress) throws KfpException, InterruptedException {
    // The summary names the file; it must stay inside its run (the summary could come from anywhere).
    Path source = SafePaths.requireInside(runDirectory, Path.of(model.path()), "model artifact path");
    List<PromotedObject> out = new ArrayList<>();
    try {
      if (Files.isRegularFile(source, LinkOption.NOFOLLOW_LINKS)) {
        out.add(uploadFile(source, new ArtifactLocation("s3", bucket, base), metadata));
      } else if (Files.isDirectory(source, LinkOption.NOFOLLOW_LINKS)) {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(source)) {
          // Links are left out: a model directory's link could point anywhere on this machine.
          files = walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).sorted().toList();
        }
        for (Path file : files) {
          if (Thread.interrupted()) {
            throw new InterruptedException();
          }
          String relative = source.relativize(file).toString().replace('\\', '/');
          out.add(uploadFile(file, new ArtifactLocation("s3", bucket, base + "/" + relative), metadata));
        }
      } else {
        throw new DeployException("the model " + ModelArtifacts.id(model) + " is not in its run directory any more ("
            + source + ")");
      }
    } catch (IOException e) {
      throw new DeployException("cannot read the model " + ModelArtifacts.id(model) + " at " + source + ": " + e, e, false);
    }
    out.forEach(o -> progress.accept("uploaded s3://" + bucket + "/" + o.key() + " (" + o.size() + " bytes, sha256 "
        + o.sha256() + ")"));
    return out;
  }

  private PromotedObject uploadFile(Path file, ArtifactLocation to, Map<String, String> metadata)
      throws IOException, ObjectStoreException {
    MessageDigest sha = sha256();
    long size = Files.size(file);
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), sha)) {
      put(to, in, size, "application/octet-stream", metadata);
    }
    return new PromotedObject(to.key(), size, HexFormat.of().formatHex(sha.digest()));
  }

  private void put(ArtifactLocation to, InputStream in, long size, String contentType, Map<String, String> metadata)
      throws ObjectStoreException {
    try {
      client.putObject(PutObjectArgs.builder().bucket(to.bucket()).object(to.key()).stream(in, size, -1)
          .contentType(contentType).userMetadata(metadata).build());
    } catch (MinioException | IOException | GeneralSecurityException e) {
      throw ObjectStores.failure(options, e, to, "upload");
    }
  }

  private List<PromotedObject> copy(ArtifactSummary model, String bucket, String base, Map<String, String> metadata,
      Consumer<String> progress) throws KfpException {
    ArtifactLocation from;
    try {
      from = ArtifactLocation.parse(model.uri(), options.defaultBucket());
    } catch (IllegalArgumentException e) {
      throw new DeployException("cannot promote the model " + ModelArtifacts.id(model) + ": " + e.getMessage());
    }
    List<PromotedObject> out = new ArrayList<>();
    Map<String, Long> sources = new LinkedHashMap<>();
    try {
      StatObjectResponse one = client.statObject(StatObjectArgs.builder().bucket(from.bucket()).object(from.key()).build());
      sources.put(from.key(), one.size());
    } catch (MinioException | IOException | GeneralSecurityException e) {
      if (!ObjectStores.notFound(e)) {
        throw ObjectStores.failure(options, e, from, "stat");
      }
      // Not one object: a directory artifact, every object under key/.
      for (Result<Item> result : client.listObjects(ListObjectsArgs.builder().bucket(from.bucket())
          .prefix(from.key() + "/").recursive(true).build())) {
        try {
          Item item = result.get();
          sources.put(item.objectName(), item.size());
        } catch (MinioException | IOException | GeneralSecurityException listing) {
          throw ObjectStores.failure(options, listing, from, "listing");
        }
      }
    }
    for (Map.Entry<String, Long> source : sources.entrySet()) {
      String suffix = source.getKey().substring(from.key().length());
      ArtifactLocation to = new ArtifactLocation("s3", bucket, base + suffix);
      try {
        client.copyObject(CopyObjectArgs.builder().bucket(to.bucket()).object(to.key())
            .source(CopySource.builder().bucket(from.bucket()).object(source.getKey()).build())
            .metadataDirective(Directive.REPLACE).userMetadata(metadata).build());
      } catch (MinioException | IOException | GeneralSecurityException e) {
        throw ObjectStores.failure(options, e, to, "copy");
      }
      out.add(new PromotedObject(to.key(), source.getValue(), null));
      progress.accept("copied " + from.scheme() + "://" + from.bucket() + "/" + source.getKey() + " to " + to);
    }
    return out;
  }

  private byte[] releaseRecord(RunSummary summary, ArtifactSummary model, List<PromotedObject> objects, String gitCommit,
      String uri) {
    ObjectNode root = JSON.createObjectNode();
    root.put("uri", uri);
    root.put("pipeline", summary.pipelineName());
    root.put("run_id", summary.runId());
    root.put("model", ModelArtifacts.id(model));
    root.put("source_uri", model.uri());
    if (model.sha256() != null) {
      root.put("source_sha256", model.sha256());
    }
    if (gitCommit != null && !gitCommit.isBlank()) {
      root.put("git_commit", gitCommit);
    }
    root.put("promoted_at", clock.instant().toString());
    ArrayNode metrics = root.putArray("metrics");
    for (MetricSummary m : summary.metrics()) {
      metrics.addObject().put("task_id", m.taskId()).put("output", m.output()).put("name", m.name()).put("value", m.value());
    }
    ArrayNode gates = root.putArray("gates");
    for (GateResult g : summary.gates()) {
      ObjectNode gate = gates.addObject().put("rule", g.expression()).put("metric", g.metric())
          .put("verdict", g.verdictWord()).put("message", g.message());
      if (g.value() != null) {
        gate.put("value", g.value());
      }
    }
    ArrayNode files = root.putArray("objects");
    for (PromotedObject o : objects) {
      ObjectNode file = files.addObject().put("key", o.key()).put("size", o.size());
      if (o.sha256() != null) {
        file.put("sha256", o.sha256());
      }
    }
    try {
      return (JSON.writeValueAsString(root) + "\n").getBytes(StandardCharsets.UTF_8);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("a tree of strings and numbers always serialises", e);
    }
  }

  /** S3 user metadata travels in HTTP headers: printable ASCII only. */
  private static String ascii(String value) {
    StringBuilder out = new StringBuilder(value.length());
    value.chars().forEach(c -> out.append(c >= 0x20 && c < 0x7f ? (char) c : '?'));
    return out.toString();
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}

package io.kfpci.cli;

import io.kfpci.artifacts.ArtifactDownloader;
import io.kfpci.artifacts.DownloadReport;
import io.kfpci.artifacts.DownloadedArtifact;
import io.kfpci.artifacts.ObjectStoreOptions;
import io.kfpci.artifacts.RunMetadata;
import io.kfpci.report.ArtifactSummary;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code kfpci artifacts RUN_ID --mlmd HOST:PORT|--mlmd-via-kubernetes [--download DIR]}: a remote run's artifacts. */
@Command(name = "artifacts",
    description = "List the output artifacts of a KFP run from its ML Metadata store and, with --download,"
        + " fetch them from the object store with SHA-256 digests and a lineage file each."
        + " The secret key is read from the environment variable AWS_SECRET_ACCESS_KEY, never from"
        + " the command line.")
final class ArtifactsCommand implements Callable<Integer> {

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(paramLabel = "RUN_ID", description = "The KFP run id.")
  String runId;

  @Mixin MetadataStoreMixin store;
  @Mixin KubeconfigOptions kube;
  @Mixin KfpNamespaceOption kfp;

  @Option(names = "--type", paramLabel = "TYPE",
      description = "Only artifacts of this type: Model, Dataset, HTML, Markdown, Metrics... or system.Model.")
  String type;

  @Option(names = "--download", paramLabel = "DIR",
      description = "Download the artifacts into DIR/<task>/<output>, with <output>.lineage.json beside each.")
  Path download;

  @Mixin ObjectStoreCliOptions objectStore;

  @Option(names = "--bucket", paramLabel = "BUCKET", defaultValue = ObjectStoreOptions.KFP_BUCKET,
      description = "Bucket of URIs that name none (default: ${DEFAULT-VALUE}).")
  String bucket;

  @Option(names = "--max-bytes", paramLabel = "BYTES", defaultValue = "" + ObjectStoreOptions.DEFAULT_MAX_ARTIFACT_BYTES,
      description = "Refuse an artifact larger than this (default: ${DEFAULT-VALUE}).")
  long maxBytes;

  @Option(names = "--parallel", paramLabel = "N", defaultValue = "4",
      description = "Files downloaded at once (default: ${DEFAULT-VALUE}).")
  int parallel;


  @Override
  public Integer call() throws Exception {
    ObjectStoreOptions objectStore = download == null ? null : objectStoreOptions();
    RunMetadata run;
    try (MetadataStoreMixin.Store opened = store.openAlone(kube, kfp.namespace)) {
      run = opened.reader().read(runId);
    }
    List<ArtifactSummary> selected = run.artifacts().stream().filter(a -> matches(a.type())).toList();
    PrintWriter out = spec.commandLine().getOut();
    if (selected.isEmpty()) {
      out.println("run " + runId + " has no " + (type == null ? "" : type + " ") + "artifacts");
      out.flush();
      return ExitCodes.OK;
    }
    for (ArtifactSummary a : selected) {
      out.println(a.producerTaskId() + "  " + a.name() + "  " + a.type() + "  " + a.uri()
          + (a.metadata().isEmpty() ? "" : "  " + a.metadata()));
    }
    if (objectStore != null) {
      DownloadReport report;
      try (ArtifactDownloader downloader = new ArtifactDownloader(objectStore)) {
        report = downloader.download(runId, selected, download);
      }
      for (DownloadedArtifact d : report.downloaded()) {
        ArtifactSummary a = d.artifact();
        out.println("downloaded " + download.resolve(a.path()) + " (" + a.size() + " bytes"
            + (a.sha256() == null ? ", " + d.files().size() + " files" : ", sha256 " + a.sha256()) + ")");
      }
      for (ArtifactSummary a : report.missing()) {
        out.println("no object for " + a.producerTaskId() + "/" + a.name() + " at " + a.uri()
            + (a.type().equals("system.Metrics") ? " (metrics live in ML Metadata: see kfpci metrics)" : ""));
      }
    }
    out.flush();
    return ExitCodes.OK;
  }

  private boolean matches(String artifactType) {
    return type == null || artifactType.equals(type) || artifactType.equals("system." + type);
  }

  private ObjectStoreOptions objectStoreOptions() {
    return objectStore.builder("--download").defaultBucket(bucket).maxArtifactBytes(maxBytes).parallelism(parallel).build();
  }

}

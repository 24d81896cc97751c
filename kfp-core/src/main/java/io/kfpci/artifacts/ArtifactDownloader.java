package io.kfpci.artifacts;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kfpci.files.SafePaths;
import io.kfpci.report.ArtifactSummary;
import io.minio.GetObjectArgs;
import io.minio.ListObjectsArgs;
import io.minio.MinioClient;
import io.minio.Result;
import io.minio.StatObjectArgs;
import io.minio.StatObjectResponse;
import io.minio.errors.ErrorResponseException;
import io.minio.errors.MinioException;
import io.minio.messages.Item;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Downloads artifacts from an S3-compatible store with the MinIO SDK. An artifact is one object
 * (its URI's key) or, when no such object exists, a directory: every object under {@code key/}.
 * Files land at {@code <dir>/<task id>/<output>} (a directory artifact's files below it), the same
 * layout as a local run directory, each streamed to a temporary file with its SHA-256 and renamed
 * into place; several files download at once, and an object of {@link #RANGED_MIN_BYTES} or more
 * as parallel ranged GETs. Beside each artifact goes
 * {@code <task id>/<output>.lineage.json}. Every name that comes from the server (task id, output,
 * key) is checked to stay inside the directory first, and an artifact over the size cap is refused
 * before a byte is written (and again while streaming, should the store have under-reported it).
 * Thread-safe; close it to stop its download threads.
 */
public final class ArtifactDownloader implements AutoCloseable {
  /** Objects from this size on download as parallel ranged GETs, parts of at least RANGED_MIN_PART. */
  static final long RANGED_MIN_BYTES = 64L * 1024 * 1024;
  static final long RANGED_MIN_PART = 16L * 1024 * 1024;
  private static final int COPY_BUFFER = 256 * 1024;
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final ObjectStoreOptions options;
  private final MinioClient client;
  private final ExecutorService pool;

  public ArtifactDownloader(ObjectStoreOptions options) {
    this.options = options;
    this.client = ObjectStores.client(options);
    this.pool = Executors.newFixedThreadPool(options.parallelism(), r -> {
      Thread t = new Thread(r, "kfpci-artifact-download");
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Downloads each artifact of a run into {@code directory} (created if absent).
   *
   * @throws UnsafeArtifactPathException a name would leave the directory; nothing of that artifact is written
   * @throws ArtifactTooLargeException an artifact exceeds the cap
   * @throws ObjectStoreAccessDeniedException the store refused the credentials
   * @throws ObjectStoreException any other failure of the store or the disk
   */
  public DownloadReport download(String runId, List<ArtifactSummary> artifacts, Path directory)
      throws ObjectStoreException, InterruptedException {
    Path root;
    try {
      Files.createDirectories(directory);
      root = directory.toRealPath();
    } catch (IOException e) {
      throw new ObjectStoreException(endpoint(), options.defaultBucket(), "cannot create the download directory "
          + directory + ": " + e.getMessage(), false, e);
    }
    List<Plan> plans = new ArrayList<>();
    List<ArtifactSummary> missing = new ArrayList<>();
    for (ArtifactSummary artifact : artifacts) {
      Optional<Plan> plan = plan(root, artifact);
      if (plan.isPresent()) {
        plans.add(plan.get());
      } else {
        missing.add(artifact);
      }
    }
    List<List<Future<DownloadedFile>>> futures = new ArrayList<>();
    for (Plan plan : plans) {
      List<Future<DownloadedFile>> files = new ArrayList<>();
      for (Obj obj : plan.objects()) {
        files.add(pool.submit(() -> fetch(root, plan, obj)));
      }
      futures.add(files);
    }
    List<DownloadedArtifact> done = new ArrayList<>();
    try {
      for (int i = 0; i < plans.size(); i++) {
        Plan plan = plans.get(i);
        List<DownloadedFile> files = new ArrayList<>();
        for (Future<DownloadedFile> f : futures.get(i)) {
          files.add(f.get());
        }
        done.add(finish(root, runId, plan, files));
      }
    } catch (ExecutionException e) {
      cancel(futures);
      if (e.getCause() instanceof ObjectStoreException ose) {
        throw ose;
      }
      throw new ObjectStoreException(endpoint(), options.defaultBucket(), "artifact download failed: " + e.getCause(),
          false, e.getCause());
    } catch (InterruptedException e) {
      cancel(futures);
      throw e;
    }
    return new DownloadReport(done, missing);
  }

  private static void cancel(List<List<Future<DownloadedFile>>> futures) {
    futures.forEach(list -> list.forEach(f -> f.cancel(true)));
  }

  /** One object to fetch: its key and where it goes, relative to the download directory. */
  private record Obj(String key, String path, long size) {
  }

  private record Plan(ArtifactSummary artifact, ArtifactLocation location, String path, boolean directory,
      List<Obj> objects) {
  }

  private Optional<Plan> plan(Path root, ArtifactSummary artifact) throws ObjectStoreException, InterruptedException {
    ArtifactLocation location;
    try {
      location = ArtifactLocation.parse(artifact.uri(), options.defaultBucket());
    } catch (IllegalArgumentException e) {
      throw new UnsafeArtifactPathException(endpoint(), options.defaultBucket(), artifact.uri(),
          "artifact " + artifact.producerTaskId() + "/" + artifact.name() + ": " + e.getMessage());
    }
    String path = artifact.producerTaskId() + "/" + artifact.name();
    check(root, location, path, "the task id and output name '" + path + "' of " + location);
    checkName(location, artifact.name());
    Optional<StatObjectResponse> stat = stat(location);
    if (stat.isPresent()) {
      long size = stat.get().size();
      if (size > options.maxArtifactBytes()) {
        throw new ArtifactTooLargeException(endpoint(), location.bucket(), "artifact " + path + " (" + location + ")",
            size, options.maxArtifactBytes());
      }
      return Optional.of(new Plan(artifact, location, path, false, List.of(new Obj(location.key(), path, size))));
    }
    String prefix = location.key() + "/";
    List<Obj> objects = new ArrayList<>();
    long total = 0;
    try {
      for (Result<Item> result : client.listObjects(ListObjectsArgs.builder().bucket(location.bucket())
          .prefix(prefix).recursive(true).build())) {
        Item item = result.get();
        if (item.isDir()) {
          continue;
        }
        String relative = item.objectName().substring(prefix.length());
        String file = path + "/" + relative;
        if (relative.startsWith("/")) {
          throw new UnsafeArtifactPathException(endpoint(), location.bucket(), item.objectName(),
              "object key '" + item.objectName() + "' of " + location + " is an absolute path below its prefix;"
                  + " refusing to download it");
        }
        check(root, location, file, "object key '" + item.objectName() + "' of " + location);
        total += item.size();
        if (total > options.maxArtifactBytes()) {
          throw new ArtifactTooLargeException(endpoint(), location.bucket(), "artifact " + path + " (" + location
              + ", a directory)", -1, options.maxArtifactBytes());
        }
        objects.add(new Obj(item.objectName(), file, item.size()));
      }
    } catch (MinioException | IOException | GeneralSecurityException e) {
      throw translate(e, location, "listing");
    }
    if (objects.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new Plan(artifact, location, path, true, objects));
  }

  private void checkName(ArtifactLocation location, String output) throws UnsafeArtifactPathException {
    if (output.contains("/")) {
      throw new UnsafeArtifactPathException(endpoint(), location.bucket(), output, "output name '" + output
          + "' of " + location + " contains '/'; refusing to download it");
    }
  }

  private void check(Path root, ArtifactLocation location, String relative, String what)
      throws ObjectStoreException {
    Optional<String> problem;
    try {
      problem = SafePaths.relativePathProblem(root, relative);
    } catch (IOException e) {
      throw new ObjectStoreException(endpoint(), location.bucket(), "cannot inspect the download directory for "
          + relative + ": " + e.getMessage(), false, e);
    }
    if (problem.isPresent()) {
      throw new UnsafeArtifactPathException(endpoint(), location.bucket(), relative, what + " "
          + problem.get() + "; refusing to download it");
    }
  }

  private Optional<StatObjectResponse> stat(ArtifactLocation location) throws ObjectStoreException {
    try {
      return Optional.of(client.statObject(StatObjectArgs.builder().bucket(location.bucket())
          .object(location.key()).build()));
    } catch (ErrorResponseException e) {
      if (ObjectStores.NOT_FOUND.contains(e.errorResponse().code())) {
        return Optional.empty();
      }
      throw translate(e, location, "stat");
    } catch (MinioException | IOException | GeneralSecurityException e) {
      throw translate(e, location, "stat");
    }
  }

  private DownloadedFile fetch(Path root, Plan plan, Obj obj)
      throws ObjectStoreException, IOException, InterruptedException {
    Path target = root.resolve(obj.path());
    Files.createDirectories(target.getParent());
    // Checked again now the parents exist: a link made meanwhile must not be followed either.
    check(root, plan.location(), obj.path(), "object key '" + obj.key() + "' of " + plan.location());
    Path partial = target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID() + ".part");
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
    long written = 0;
    boolean kept = false;
    try {
      if (obj.size() >= RANGED_MIN_BYTES && options.parallelism() > 1) {
        written = fetchRanges(plan, obj, partial);
        hash(partial, sha);
      } else {
        written = fetchWhole(plan, obj, partial, sha);
      }
      Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      kept = true;
    } catch (MinioException | GeneralSecurityException e) {
      throw translate(e, plan.location(), "download");
    } finally {
      if (!kept) {
        Files.deleteIfExists(partial);
      }
    }
    return new DownloadedFile(obj.path(), obj.key(), written, HexFormat.of().formatHex(sha.digest()));
  }

  /** One GET, hashed as it streams; the cap is enforced on the bytes, whatever the listing said. */
  private long fetchWhole(Plan plan, Obj obj, Path partial, MessageDigest sha)
      throws ObjectStoreException, IOException, MinioException, GeneralSecurityException {
    long written = 0;
    try (InputStream in = client.getObject(GetObjectArgs.builder().bucket(plan.location().bucket())
            .object(obj.key()).build());
        OutputStream out = Files.newOutputStream(partial, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
            LinkOption.NOFOLLOW_LINKS)) {
      byte[] buffer = new byte[COPY_BUFFER];
      int n;
      while ((n = in.read(buffer)) > 0) {
        written += n;
        if (written > options.maxArtifactBytes()) {
          throw new ArtifactTooLargeException(endpoint(), plan.location().bucket(), "artifact " + plan.path() + " ("
              + plan.location() + ")", -1, options.maxArtifactBytes());
        }
        sha.update(buffer, 0, n);
        out.write(buffer, 0, n);
      }
    }
    return written;
  }

  /**
   * A large object as parallel ranged GETs written in place (one HTTP stream is the limit of a
   * single download, not the disk or the digest), then hashed in one pass over the file.
   */
  private long fetchRanges(Plan plan, Obj obj, Path partial)
      throws ObjectStoreException, IOException, MinioException, GeneralSecurityException, InterruptedException {
    int parts = (int) Math.min(options.parallelism(), (obj.size() + RANGED_MIN_PART - 1) / RANGED_MIN_PART);
    long partSize = (obj.size() + parts - 1) / parts;
    ExecutorService ranges = Executors.newFixedThreadPool(parts, r -> {
      Thread t = new Thread(r, "kfpci-artifact-range");
      t.setDaemon(true);
      return t;
    });
    try (FileChannel channel = FileChannel.open(partial, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
        LinkOption.NOFOLLOW_LINKS)) {
      List<Future<Long>> futures = new ArrayList<>();
      for (int i = 0; i < parts; i++) {
        long offset = i * partSize;
        long length = Math.min(partSize, obj.size() - offset);
        futures.add(ranges.submit(() -> fetchRange(plan, obj, channel, offset, length)));
      }
      long total = 0;
      for (Future<Long> f : futures) {
        try {
          total += f.get();
        } catch (ExecutionException e) {
          futures.forEach(other -> other.cancel(true));
          Throwable cause = e.getCause();
          if (cause instanceof ObjectStoreException ose) {
            throw ose;
          }
          if (cause instanceof MinioException me) {
            throw me;
          }
          if (cause instanceof GeneralSecurityException ge) {
            throw ge;
          }
          if (cause instanceof IOException io) {
            throw io;
          }
          throw new IllegalStateException("ranged download of " + obj.key() + " failed", cause);
        }
      }
      return total;
    } finally {
      ranges.shutdownNow();
    }
  }

  private long fetchRange(Plan plan, Obj obj, FileChannel channel, long offset, long length)
      throws ObjectStoreException, IOException, MinioException, GeneralSecurityException {
    long got = 0;
    try (InputStream in = client.getObject(GetObjectArgs.builder().bucket(plan.location().bucket())
        .object(obj.key()).offset(offset).length(length).build())) {
      byte[] buffer = new byte[COPY_BUFFER];
      int n;
      while ((n = in.read(buffer)) > 0) {
        if (got + n > length) {
          throw new ObjectStoreException(endpoint(), plan.location().bucket(), "the object store at " + endpoint()
              + " sent more than the " + length + " bytes asked for at offset " + offset + " of " + plan.location(),
              false, null);
        }
        ByteBuffer bytes = ByteBuffer.wrap(buffer, 0, n);
        long position = offset + got;
        while (bytes.hasRemaining()) {
          position += channel.write(bytes, position);
        }
        got += n;
      }
    }
    if (got != length) {
      throw new ObjectStoreException(endpoint(), plan.location().bucket(), "the object store at " + endpoint()
          + " ended the range at offset " + offset + " of " + plan.location() + " after " + got + " of " + length
          + " bytes", true, null);
    }
    return got;
  }

  private static void hash(Path file, MessageDigest sha) throws IOException {
    try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
      byte[] buffer = new byte[COPY_BUFFER];
      int n;
      while ((n = in.read(buffer)) > 0) {
        sha.update(buffer, 0, n);
      }
    }
  }

  private DownloadedArtifact finish(Path root, String runId, Plan plan, List<DownloadedFile> files)
      throws ObjectStoreException {
    ArtifactSummary a = plan.artifact();
    long size = files.stream().mapToLong(DownloadedFile::size).sum();
    String sha = plan.directory() ? null : files.get(0).sha256();
    ArtifactSummary local = new ArtifactSummary(a.name(), a.type(), a.uri(), plan.path(), size, sha, a.metadata(),
        a.producerTaskId());
    ObjectNode lineage = JSON.createObjectNode();
    lineage.put("run_id", runId);
    lineage.put("task_id", a.producerTaskId());
    lineage.put("output", a.name());
    lineage.put("type", a.type());
    lineage.put("uri", a.uri());
    lineage.put("endpoint", endpoint());
    lineage.put("path", plan.path());
    lineage.put("size", size);
    if (sha != null) {
      lineage.put("sha256", sha);
    }
    ObjectNode metadata = lineage.putObject("metadata");
    a.metadata().forEach(metadata::set);
    ArrayNode list = lineage.putArray("files");
    for (DownloadedFile f : files) {
      list.addObject().put("path", f.path()).put("key", f.key()).put("size", f.size()).put("sha256", f.sha256());
    }
    String lineagePath = plan.path() + ".lineage.json";
    check(root, plan.location(), lineagePath, "the lineage file of " + plan.location());
    Path file = root.resolve(lineagePath);
    try {
      Path tmp = file.resolveSibling("." + file.getFileName() + "." + UUID.randomUUID() + ".part");
      Files.write(tmp, JSON.writeValueAsBytes(lineage), StandardOpenOption.CREATE_NEW);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new ObjectStoreException(endpoint(), plan.location().bucket(), "cannot write " + file + ": "
          + e.getMessage(), false, e);
    }
    return new DownloadedArtifact(local, plan.directory(), files, lineagePath);
  }

  private ObjectStoreException translate(Exception e, ArtifactLocation location, String what) {
    return ObjectStores.failure(options, e, location, what);
  }

  private String endpoint() {
    return options.endpoint().toString();
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}

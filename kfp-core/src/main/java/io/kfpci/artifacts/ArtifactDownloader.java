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
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ProtocolException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
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
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

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
  /** Objects from this size on download as parallel ranged GETs of RANGED_PART bytes each. */
  static final long RANGED_MIN_BYTES = 64L * 1024 * 1024;
  /**
   * Small enough that the hashing thread trails the downloads by little (only the last part is
   * hashed after the download ends: about 20 ms), large enough that the requests' overhead is lost
   * in their bytes (S3Proxy spent a seventh more CPU per GiB on 8 MiB parts than on 32 MiB ones).
   */
  static final long RANGED_PART = 32L * 1024 * 1024;
  private static final int COPY_BUFFER = 256 * 1024;
  /** Objects from this size on (below the ranged ones) are hashed on a second thread as they stream. */
  static final long PIPELINED_MIN_BYTES = 4L * 1024 * 1024;
  /** Copy buffers between the receiving and the hashing thread: the heap a pipelined download holds. */
  private static final int PIPELINE_BUFFERS = 4;
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final ObjectStoreOptions options;
  private final MinioClient client;
  private final ExecutorService pool;
  /** Hashing threads of pipelined downloads; never the pool, whose threads wait for them. */
  private final ExecutorService hashers;

  public ArtifactDownloader(ObjectStoreOptions options) {
    this.options = options;
    this.client = ObjectStores.downloadClient(options);
    this.pool = Executors.newFixedThreadPool(options.parallelism(), r -> {
      Thread t = new Thread(r, "kfpci-artifact-download");
      t.setDaemon(true);
      return t;
    });
    this.hashers = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "kfpci-artifact-sha256");
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
        written = fetchRanges(plan, obj, partial, sha);
      } else if (obj.size() >= PIPELINED_MIN_BYTES) {
        written = fetchPipelined(plan, obj, partial, sha);
      } else {
        written = fetchWhole(plan, obj, partial, sha);
      }
      Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      kept = true;
    } catch (MinioException | GeneralSecurityException e) {
      throw translate(e, plan.location(), "download");
    } catch (SocketTimeoutException | SocketException | EOFException | ProtocolException e) {
      // The connection failed mid-body (the store stopped sending, or closed it): as retryable as an
      // unreachable store, and named so; other IOExceptions are the disk's.
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
        FileChannel out = FileChannel.open(partial, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
            LinkOption.NOFOLLOW_LINKS)) {
      byte[] buffer = new byte[COPY_BUFFER];
      int n;
      while ((n = fill(in, buffer)) > 0) {
        written += n;
        if (written > options.maxArtifactBytes()) {
          throw new ArtifactTooLargeException(endpoint(), plan.location().bucket(), "artifact " + plan.path() + " ("
              + plan.location() + ")", -1, options.maxArtifactBytes());
        }
        sha.update(buffer, 0, n);
        writeFully(out, buffer, n, written - n);
      }
    }
    return written;
  }

  /** A filled copy buffer on its way to the hashing thread; a negative length ends the stream. */
  private record Chunk(byte[] bytes, int length) {
  }

  /**
   * One GET like {@link #fetchWhole}, but the digest runs on a second thread fed the buffers this
   * one has written: receiving and writing a GiB costs about a core-second here, SHA-256 about
   * another half, and one thread doing both is what kept a large download at half of curl's speed.
   * The buffers go round a fixed set, so the heap stays at {@link #PIPELINE_BUFFERS} of them.
   */
  private long fetchPipelined(Plan plan, Obj obj, Path partial, MessageDigest sha)
      throws ObjectStoreException, IOException, MinioException, GeneralSecurityException, InterruptedException {
    BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(PIPELINE_BUFFERS);
    BlockingQueue<Chunk> filled = new ArrayBlockingQueue<>(PIPELINE_BUFFERS + 1);
    for (int i = 0; i < PIPELINE_BUFFERS; i++) {
      free.add(new byte[COPY_BUFFER]);
    }
    Future<?> hasher = hashers.submit(() -> {
      Chunk chunk;
      while ((chunk = filled.take()).length() >= 0) {
        sha.update(chunk.bytes(), 0, chunk.length());
        free.put(chunk.bytes());
      }
      return null;
    });
    long written = 0;
    try {
      try (InputStream in = client.getObject(GetObjectArgs.builder().bucket(plan.location().bucket())
              .object(obj.key()).build());
          FileChannel out = FileChannel.open(partial, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
              LinkOption.NOFOLLOW_LINKS)) {
        while (true) {
          byte[] buffer = nextBuffer(free, hasher);
          int n = fill(in, buffer);
          if (n == 0) {
            break;
          }
          written += n;
          if (written > options.maxArtifactBytes()) {
            throw new ArtifactTooLargeException(endpoint(), plan.location().bucket(), "artifact " + plan.path()
                + " (" + plan.location() + ")", -1, options.maxArtifactBytes());
          }
          writeFully(out, buffer, n, written - n);
          filled.put(new Chunk(buffer, n));
        }
      }
      filled.put(new Chunk(null, -1));
      hasher.get();
      return written;
    } catch (ExecutionException e) {
      throw new IllegalStateException("hashing " + obj.key() + " failed", e.getCause());
    } finally {
      hasher.cancel(true);
    }
  }

  /** A free buffer, or the hashing thread's failure should it end without returning them. */
  private static byte[] nextBuffer(BlockingQueue<byte[]> free, Future<?> hasher)
      throws InterruptedException, ExecutionException {
    byte[] buffer;
    while ((buffer = free.poll(100, TimeUnit.MILLISECONDS)) == null) {
      if (hasher.isDone()) {
        hasher.get();
        throw new IllegalStateException("the hashing thread ended before the download");
      }
    }
    return buffer;
  }

  /**
   * Reads until the buffer is full or the stream ends; 0 at its end. The SDK's stream (OkHttp over
   * Okio) returns at most one 8 KiB segment per read, and a write and digest update per segment
   * cost more CPU than the bytes themselves.
   */
  private static int fill(InputStream in, byte[] buffer) throws IOException {
    int n = 0;
    while (n < buffer.length) {
      int got = in.read(buffer, n, buffer.length - n);
      if (got < 0) {
        break;
      }
      n += got;
    }
    return n;
  }

  private static void writeFully(FileChannel channel, byte[] buffer, int length, long position) throws IOException {
    ByteBuffer bytes = ByteBuffer.wrap(buffer, 0, length);
    long at = position;
    while (bytes.hasRemaining()) {
      at += channel.write(bytes, at);
    }
  }

  /**
   * A large object as ranged GETs of {@link #RANGED_PART} bytes, taken in order by a few threads
   * and written in place, while this thread hashes the file behind them part by part (each part is
   * still in the page cache, and waits at most for the parts in flight). One HTTP stream and a
   * digest on the same thread are each the limit of a single download, not the disk: spreading
   * them over cores is what makes a large download as fast as curl's. Memory is one copy buffer
   * per thread whatever the size.
   */
  private long fetchRanges(Plan plan, Obj obj, Path partial, MessageDigest sha)
      throws ObjectStoreException, IOException, MinioException, GeneralSecurityException, InterruptedException {
    int parts = (int) ((obj.size() + RANGED_PART - 1) / RANGED_PART);
    // More streams than cores only add switching: each costs about a core-second per GiB here.
    int threads = Math.min(Math.min(options.parallelism(), Math.max(2, Runtime.getRuntime().availableProcessors())),
        parts);
    Parts progress = new Parts(parts);
    ExecutorService ranges = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "kfpci-artifact-range");
      t.setDaemon(true);
      return t;
    });
    try (FileChannel channel = FileChannel.open(partial, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
        StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
      for (int t = 0; t < threads; t++) {
        ranges.submit(() -> {
          // Whatever ends this thread early (an Error too) must wake the hashing thread.
          Exception failure = new IllegalStateException("a ranged download thread of " + obj.key()
              + " stopped abnormally");
          try {
            int part;
            while ((part = progress.next()) >= 0) {
              long offset = part * RANGED_PART;
              fetchRange(plan, obj, channel, offset, Math.min(RANGED_PART, obj.size() - offset));
              progress.done(part);
            }
            failure = null;
          } catch (ObjectStoreException | IOException | MinioException | GeneralSecurityException
              | RuntimeException e) {
            failure = e;
          } finally {
            if (failure != null) {
              progress.fail(failure);
            }
          }
          return null;
        });
      }
      ByteBuffer buffer = ByteBuffer.allocate(COPY_BUFFER);
      long hashed = 0;
      for (int part = 0; part < parts; part++) {
        Optional<Exception> failed = progress.await(part);
        if (failed.isPresent()) {
          throw rethrow(obj, failed.get());
        }
        long end = Math.min((part + 1) * RANGED_PART, obj.size());
        while (hashed < end) {
          buffer.clear().limit((int) Math.min(buffer.capacity(), end - hashed));
          int n = channel.read(buffer, hashed);
          if (n <= 0) {
            throw new IOException("the partial download " + partial + " ended at " + hashed + " of " + obj.size()
                + " bytes while hashing it");
          }
          sha.update(buffer.array(), 0, n);
          hashed += n;
        }
      }
      return hashed;
    } finally {
      progress.stop();
      ranges.shutdownNow();
    }
  }

  /** A worker's failure, thrown on as the checked type it had; returned only for the compiler. */
  private static RuntimeException rethrow(Obj obj, Exception cause)
      throws ObjectStoreException, IOException, MinioException, GeneralSecurityException {
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
    return new IllegalStateException("ranged download of " + obj.key() + " failed", cause);
  }

  private long fetchRange(Plan plan, Obj obj, FileChannel channel, long offset, long length)
      throws ObjectStoreException, IOException, MinioException, GeneralSecurityException {
    long got = 0;
    try (InputStream in = client.getObject(GetObjectArgs.builder().bucket(plan.location().bucket())
        .object(obj.key()).offset(offset).length(length).build())) {
      byte[] buffer = new byte[COPY_BUFFER];
      int n;
      while ((n = fill(in, buffer)) > 0) {
        if (got + n > length) {
          throw new ObjectStoreException(endpoint(), plan.location().bucket(), "the object store at " + endpoint()
              + " sent more than the " + length + " bytes asked for at offset " + offset + " of " + plan.location(),
              false, null);
        }
        writeFully(channel, buffer, n, offset + got);
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

  /**
   * The parts of one ranged download: which to fetch next, which are on disk, and the first
   * failure, which stops the rest and wakes the hashing thread.
   */
  private static final class Parts {
    private final boolean[] done;
    private int next;
    private Exception failure;
    private boolean stopped;

    Parts(int count) {
      done = new boolean[count];
    }

    /** The next part to fetch, or -1 when all are taken or the download stopped. */
    synchronized int next() {
      if (stopped || failure != null || next == done.length) {
        return -1;
      }
      return next++;
    }

    synchronized void done(int part) {
      done[part] = true;
      notifyAll();
    }

    synchronized void fail(Exception e) {
      if (failure == null) {
        failure = e;
      }
      notifyAll();
    }

    synchronized void stop() {
      stopped = true;
    }

    /** Waits until the part is on disk (empty) or any part failed (its exception). */
    synchronized Optional<Exception> await(int part) throws InterruptedException {
      while (!done[part]) {
        if (failure != null) {
          return Optional.of(failure);
        }
        wait();
      }
      return Optional.empty();
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
    hashers.shutdownNow();
  }
}

package io.kfpci.emulator;

import com.sun.net.httpserver.HttpServer;
import io.kfpci.emulator.internal.ApiHandlers;
import io.kfpci.emulator.internal.HttpFront;
import io.kfpci.emulator.internal.ProtoRequests;
import io.kfpci.emulator.internal.Store;
import io.kfpci.emulator.internal.SwaggerCheck;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A strict, in-memory stand-in for a KFP 2.17 API server (REST v2beta1) on 127.0.0.1, for tests.
 * Every request and response is checked against the official swagger (../shared/kfp/api-v2beta1);
 * a mismatch is recorded in {@link EmulatorState#violations()} and answered loudly (400 for a bad
 * request, 500 for a bad response of the emulator's own). Error bodies, codes and quirks follow the
 * real server as recorded in ../shared/kfp/real-server-2.17.0.
 *
 * <p>Threads: the JDK HTTP server with a small pool of daemon workers; requests are serialised on
 * the in-memory state. {@link #close()} stops the server, its workers and the run executor.
 */
public final class KfpEmulator implements AutoCloseable {
  /** Where the shared inputs sit relative to the repository root. */
  static final String SWAGGER_RELATIVE = "shared/kfp/api-v2beta1";
  /** Points at the directory holding kfp/api-v2beta1 when the shared inputs are not beside the repo. */
  static final String SHARED_DIR_ENV = "KFPCI_SHARED_DIR";

  private final HttpServer server;
  private final ExecutorService workers;
  private final RunExecutor runExecutor;
  private final EmulatorState state;
  private final URI baseUrl;

  private KfpEmulator(HttpServer server, ExecutorService workers, RunExecutor runExecutor, EmulatorState state) {
    this.server = server;
    this.workers = workers;
    this.runExecutor = runExecutor;
    this.state = state;
    this.baseUrl = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** An emulator on an ephemeral port with the defaults (single-user, scripted runs, strict). */
  public static KfpEmulator start() {
    return builder().start();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** E.g. {@code http://127.0.0.1:41234}; the API is under {@code /apis/v2beta1}. */
  public URI baseUrl() {
    return baseUrl;
  }

  public EmulatorState state() {
    return state;
  }

  @Override
  public void close() {
    server.stop(0);
    workers.shutdownNow();
    runExecutor.close();
  }

  public static final class Builder {
    private int port;
    private RunExecutor runExecutor;
    private boolean multiUser;
    private String bearerToken;
    private final Set<String> allowedNamespaces = new LinkedHashSet<>();
    private FaultPlan faults = FaultPlan.none();
    private Path swaggerDir;
    private boolean strict = true;
    private boolean checkResponses = true;
    private Clock clock = Clock.systemUTC();
    private Map<String, String> environment = System.getenv();

    private Builder() {}

    /** The port on 127.0.0.1; 0 (the default) picks a free one. */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be 0-65535, not " + port);
      }
      this.port = port;
      return this;
    }

    /** How runs progress; default {@code ScriptedRunExecutor.timed(200 ms)}. */
    public Builder runExecutor(RunExecutor runExecutor) {
      this.runExecutor = Objects.requireNonNull(runExecutor, "runExecutor");
      return this;
    }

    /**
     * Multi-user mode: every call but healthz needs an identity (a {@code kubeflow-userid} header or a
     * bearer token, else 401), experiments need a namespace, runs an experiment, lists a namespace.
     */
    public Builder multiUser(boolean multiUser) {
      this.multiUser = multiUser;
      return this;
    }

    /** Every call but healthz needs {@code Authorization: Bearer <token>} (401 without it). */
    public Builder requireBearerToken(String token) {
      if (token == null || token.isBlank()) {
        throw new IllegalArgumentException("the bearer token must not be blank");
      }
      this.bearerToken = token;
      return this;
    }

    /** Namespaces callers may use; any other gives 403. Empty (the default) allows all. */
    public Builder allowNamespaces(String... namespaces) {
      allowedNamespaces.addAll(List.of(namespaces));
      return this;
    }

    public Builder faults(FaultPlan faults) {
      this.faults = Objects.requireNonNull(faults, "faults");
      return this;
    }

    /** The directory holding kfp_api_single_file.swagger.json (default: found as the class doc says). */
    public Builder swaggerDir(Path swaggerDir) {
      this.swaggerDir = Objects.requireNonNull(swaggerDir, "swaggerDir");
      return this;
    }

    /**
     * Strict (the default): a response that breaks the swagger becomes a 500 naming the violation.
     * Not strict: the violation is only recorded.
     */
    public Builder strict(boolean strict) {
      this.strict = strict;
      return this;
    }

    /**
     * Whether answers are checked against the swagger (the default). Checking a list of 200 runs
     * takes the better part of a second on a small machine, so a benchmark may turn it off; requests
     * are always checked.
     */
    public Builder checkResponses(boolean checkResponses) {
      this.checkResponses = checkResponses;
      return this;
    }

    /** The clock for every timestamp the emulator writes (default: the system's, UTC). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    Builder environment(Map<String, String> environment) {
      this.environment = Map.copyOf(environment);
      return this;
    }

    /**
     * Starts the emulator.
     *
     * @throws EmulatorStartException when the swagger cannot be found or read, or the port is taken
     */
    public KfpEmulator start() {
      Path swagger = swaggerDir != null ? swaggerDir : locateSwagger(Path.of("").toAbsolutePath(), environment);
      if (!Files.isRegularFile(swagger.resolve(SwaggerCheck.SPEC_FILE))) {
        throw new EmulatorStartException("the KFP API emulator needs the official swagger, but "
            + swagger.resolve(SwaggerCheck.SPEC_FILE) + " does not exist: pass swaggerDir(...) (--swagger-dir) or"
            + " set " + SHARED_DIR_ENV + " to the directory holding kfp/api-v2beta1");
      }
      Checks checks = checks(swagger);
      SwaggerCheck check = checks.swagger();
      ProtoRequests proto = checks.proto();
      RunExecutor executor = runExecutor != null ? runExecutor : ScriptedRunExecutor.timed(Duration.ofMillis(200));
      Store store = new Store();
      EmulatorState state = new EmulatorState(store);
      ApiHandlers api = new ApiHandlers(store, clock, executor, multiUser, allowedNamespaces);
      Clock reportClock = clock;
      executor.attach(new WorkflowReporter() {
        @Override
        public void report(String runId, WorkflowReport report) {
          api.report(runId, report);
        }

        @Override
        public Instant now() {
          return reportClock.instant();
        }
      });
      HttpFront front = new HttpFront(api, check, proto, state.recorder(), faults, bearerToken, strict, checkResponses, multiUser, clock);
      // Without TCP_NODELAY the JDK server's small answers wait out the client's delayed ACK (~40 ms
      // each). The property is read once, when the JDK loads its server configuration.
      if (System.getProperty("sun.net.httpserver.nodelay") == null) {
        System.setProperty("sun.net.httpserver.nodelay", "true");
      }
      HttpServer server;
      try {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
      } catch (IOException e) {
        executor.close();
        throw new EmulatorStartException("cannot listen on 127.0.0.1:" + port + ": " + e.getMessage()
            + " (is another server using the port? pass another --port, or 0 for a free one)", e);
      }
      AtomicInteger count = new AtomicInteger();
      ExecutorService workers = Executors.newFixedThreadPool(8, r -> {
        Thread thread = new Thread(r, "kfp-emulator-http-" + count.incrementAndGet());
        thread.setDaemon(true);
        return thread;
      });
      server.createContext("/", front);
      server.setExecutor(workers);
      server.start();
      return new KfpEmulator(server, workers, executor, state);
    }
  }

  /** The parsed swagger of a directory: parsing takes seconds, so emulators in one JVM share it. */
  private record Checks(SwaggerCheck swagger, ProtoRequests proto, java.nio.file.attribute.FileTime modified) {}

  private static final Map<Path, Checks> CHECKS = new java.util.concurrent.ConcurrentHashMap<>();

  private static Checks checks(Path swaggerDir) {
    Path file = swaggerDir.resolve(SwaggerCheck.SPEC_FILE).toAbsolutePath().normalize();
    try {
      java.nio.file.attribute.FileTime modified = Files.getLastModifiedTime(file);
      Checks cached = CHECKS.get(file);
      if (cached != null && cached.modified().equals(modified)) {
        return cached;
      }
      Checks made = new Checks(new SwaggerCheck(swaggerDir), new ProtoRequests(swaggerDir), modified);
      CHECKS.put(file, made);
      return made;
    } catch (IOException | RuntimeException e) {
      throw new EmulatorStartException("cannot read the KFP swagger in " + swaggerDir + ": " + e.getMessage(), e);
    }
  }

  /**
   * The swagger directory: {@code $KFPCI_SHARED_DIR/kfp/api-v2beta1} if set, else the first
   * {@code shared/kfp/api-v2beta1} beside the working directory or one of its parents, looking no
   * higher than the parent of the repository (the nearest directory holding mvnw). The first
   * candidate is returned when none exists, so the error names where it looked.
   */
  static Path locateSwagger(Path workingDirectory, Map<String, String> environment) {
    String shared = environment.get(SHARED_DIR_ENV);
    if (shared != null && !shared.isBlank()) {
      return Path.of(shared).resolve("kfp/api-v2beta1").toAbsolutePath().normalize();
    }
    Path repo = workingDirectory;
    while (repo != null && !Files.isRegularFile(repo.resolve("mvnw"))) {
      repo = repo.getParent();
    }
    List<Path> candidates = new ArrayList<>();
    Path top = repo == null ? workingDirectory.getParent() : repo.getParent();
    for (Path dir = workingDirectory.getParent(); dir != null; dir = dir.getParent()) {
      candidates.add(dir.resolve(SWAGGER_RELATIVE));
      if (dir.equals(top)) {
        break;
      }
    }
    // Absent everywhere: name the conventional place, beside the repository, in the error.
    Path conventional = top == null ? workingDirectory.resolve("..").resolve(SWAGGER_RELATIVE).normalize()
        : top.resolve(SWAGGER_RELATIVE);
    return candidates.stream().filter(Files::isDirectory).findFirst().orElse(conventional);
  }

}

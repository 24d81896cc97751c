package io.kfpci.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kfpci.artifacts.TaskPod;
import io.kfpci.remote.logs.ObjectStoreLogArchive;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code --bucket} and {@code --log-prefix} are one definition on {@code kfpci logs}, {@code submit}
 * and {@code watch}: the archive each builds from its command line reads Argo's {@code main.log}
 * from a real S3 server in a bucket and under a prefix that are not KFP's defaults, and with the
 * defaults it looks in {@code mlpipeline} under {@code private-artifacts/}.
 */
class LogArchiveOptionsTest {
  private static final TaskPod POD = new TaskPod("train", 0, 7, "seed-run1-system-container-impl-222", "kubeflow", null);
  private static S3TestServer server;
  private static String s3;

  @BeforeAll
  static void start() throws Exception {
    server = S3TestServer.start("archive", "mlpipeline");
    s3 = server.endpoint();
    server.put("archive", "team/logs/kubeflow/seed-run1/2026/11/28/seed-run1-system-container-impl-222/main.log",
        "from the team's archive\n");
    server.put("mlpipeline",
        "private-artifacts/kubeflow/seed-run1/2026/11/28/seed-run1-system-container-impl-222/main.log",
        "from KFP's default archive\n");
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  /** The archive options of {@code command} as picocli fills them from {@code args}. */
  private static LogArchiveOptions parsed(String command, String... args) {
    CommandLine cli = KfpciCommand.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
    List<String> all = new ArrayList<>(List.of(command));
    all.addAll(List.of(args));
    cli.parseArgs(all.toArray(String[]::new));
    Object target = cli.getSubcommands().get(command).getCommand();
    if (target instanceof LogsCommand logs) {
      return logs.archive;
    }
    if (target instanceof SubmitCommand submit) {
      return submit.mirrorOptions.archive;
    }
    return ((WatchCommand) target).mirrorOptions.archive;
  }

  private static List<String> argsOf(String command) {
    return switch (command) {
      case "submit" -> List.of("pipeline.yaml", "--wait");
      default -> List.of("run-1");
    };
  }

  private static String read(LogArchiveOptions options) throws Exception {
    ObjectStoreLogArchive archive = options.archive();
    Optional<byte[]> log = archive.read("run-1", POD);
    return log.map(b -> new String(b, StandardCharsets.UTF_8)).orElse("(none)");
  }

  @Test
  void aNonDefaultBucketAndPrefixAreReadByEveryCommand() throws Exception {
    for (String command : List.of("logs", "submit", "watch")) {
      List<String> args = new ArrayList<>(argsOf(command));
      args.addAll(List.of("--s3-endpoint", s3, "--bucket", "archive", "--log-prefix", "team/logs"));
      LogArchiveOptions options = parsed(command, args.toArray(String[]::new));
      assertThat(options.archive().name()).as(command).isEqualTo("main.log in bucket archive at " + s3);
      assertThat(read(options)).as(command).isEqualTo("from the team's archive\n");
    }
  }

  @Test
  void theDefaultsAreKfpsBucketAndKeyFormat() throws Exception {
    for (String command : List.of("logs", "submit", "watch")) {
      List<String> args = new ArrayList<>(argsOf(command));
      args.addAll(List.of("--s3-endpoint", s3));
      LogArchiveOptions options = parsed(command, args.toArray(String[]::new));
      assertThat(options.bucket).as(command).isEqualTo("mlpipeline");
      assertThat(options.prefix).as(command).isEqualTo("private-artifacts/");
      assertThat(read(options)).as(command).isEqualTo("from KFP's default archive\n");
    }
  }

  @Test
  void withoutAnObjectStoreThereIsNoArchive() {
    for (String command : List.of("logs", "submit", "watch")) {
      assertThat(parsed(command, argsOf(command).toArray(String[]::new)).archive()).as(command).isNull();
    }
  }
}

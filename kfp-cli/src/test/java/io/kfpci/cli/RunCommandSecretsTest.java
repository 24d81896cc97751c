package io.kfpci.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kfpci run --secret-param} and {@code --inherit-env}: the value never reaches the console or a run file. */
class RunCommandSecretsTest {
  @TempDir Path root;

  private static final String PIPELINE = """
      components:
        comp-show:
          executorLabel: exec-show
          inputDefinitions:
            parameters:
              access:
                parameterType: STRING
      deploymentSpec:
        executors:
          exec-show:
            container:
              command:
              - sh
              - -c
              - echo "got $0"
              - '{{$.inputs.parameters[''access'']}}'
              image: docker.io/library/alpine:3
      pipelineInfo:
        name: secret-cli
      root:
        dag:
          tasks:
            show:
              componentRef:
                name: comp-show
              inputs:
                parameters:
                  access:
                    componentInputParameter: access
              taskInfo:
                name: show
        inputDefinitions:
          parameters:
            access:
              parameterType: STRING
      schemaVersion: 2.1.0
      sdkVersion: kfp-2.14.6
      """;

  @Test
  void aSecretParamIsMaskedOnTheConsoleAndInTheRunDirectory() throws Exception {
    Path pipeline = Files.writeString(root.resolve("secret.yaml"), PIPELINE);
    String secret = "s3cret-" + UUID.randomUUID();

    CliRun run = CliRun.of("run", "--local", pipeline.toString(), "-p", "access=" + secret, "--secret-param", "access",
        "--inherit-env", "--pipeline-root", root.resolve("runs").toString(), "--run-id", "r");

    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    assertThat(run.out()).contains("[show] got ****\n").doesNotContain(secret);
    assertThat(run.err()).doesNotContain(secret);
    Path runDir = root.resolve("runs/secret-cli/r");
    try (Stream<Path> files = Files.walk(runDir)) {
      assertThat(files.filter(Files::isRegularFile).filter(f -> {
        try {
          return Files.readString(f).contains(secret);
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }).toList()).containsExactly(runDir.resolve("show/executor_input.json"));
    }
    assertThat(Files.readString(runDir.resolve("spec.json"))).contains("\"inherit_env\" : true");
  }
}

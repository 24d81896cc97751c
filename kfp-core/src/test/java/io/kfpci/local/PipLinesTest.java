package io.kfpci.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.kfpci.local.internal.PipLines;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reading the install layer that kfp 2.17's component factory writes in front of a component. */
class PipLinesTest {
  // Exactly what kfp 2.17.3 compiles for packages_to_install=[numpy, pandas] and pip_index_urls.
  private static final String SCRIPT = "\nif ! [ -x \"$(command -v pip)\" ]; then\n    python3 -m ensurepip ||"
      + " python3 -m ensurepip --user || apt-get install python3-pip\nfi\n\nPIP_DISABLE_PIP_VERSION_CHECK=1"
      + " python3 -m pip install --quiet --no-warn-script-location --index-url https://mirror.example/simple"
      + " --trusted-host https://mirror.example/simple 'numpy==2.1.3' 'pandas==2.2.3'  &&  python3 -m pip install"
      + " --quiet --no-warn-script-location 'kfp==2.17.3' '--no-deps'"
      + " 'typing-extensions>=3.7.4,<5; python_version<\"3.9\"' && \"$0\" \"$@\"\n";
  private static final List<String> COMMAND = List.of("sh", "-c", SCRIPT, "sh", "-ec", "program_path=...", "def f(): ...");

  @Test
  void theSdksInstallLayerSplitsIntoPipLinesAndTheProgram() {
    PipLines.InstallLayer layer = PipLines.parse(COMMAND).orElseThrow();

    assertThat(layer.lines()).hasSize(2);
    assertThat(layer.lines().get(0).arguments()).containsExactly("--index-url", "https://mirror.example/simple",
        "--trusted-host", "https://mirror.example/simple", "numpy==2.1.3", "pandas==2.2.3");
    assertThat(layer.lines().get(0).requirements()).containsExactly("numpy==2.1.3", "pandas==2.2.3");
    assertThat(layer.lines().get(1).arguments()).containsExactly("kfp==2.17.3", "--no-deps",
        "typing-extensions>=3.7.4,<5; python_version<\"3.9\"");
    assertThat(layer.program()).containsExactly("sh", "-ec", "program_path=...", "def f(): ...");
  }

  // Exactly what kfp 2.17.3 compiles for packages_to_install=[yapf], use_venv=True (the upstream
  // component_with_pip_install_in_venv, without its index URL).
  private static final String VENV_SCRIPT = "\nif ! [ -x \"$(command -v pip)\" ]; then\n    python3 -m ensurepip ||"
      + " python3 -m ensurepip --user || apt-get install python3-pip\nfi\n\nPIP_DISABLE_PIP_VERSION_CHECK=1"
      + " python3 -m pip install --quiet --no-warn-script-location 'yapf'  &&  \nexport PIP_DISABLE_PIP_VERSION_CHECK=1"
      + "\ntmp=$(mktemp -d)\npython3 -m venv \"$tmp/venv\" --system-site-packages\n. \"$tmp/venv/bin/activate\"\n"
      + " python3 -m pip install --quiet --no-warn-script-location 'kfp==2.17.3' '--no-deps'"
      + " 'typing-extensions>=3.7.4,<5; python_version<\"3.9\"' && \"$0\" \"$@\"\n";

  @Test
  void theUseVenvVariantOfTheLayerIsReadTheSameWay() {
    PipLines.InstallLayer layer = PipLines.parse(List.of("sh", "-c", VENV_SCRIPT, "sh", "-ec", "program", "src"))
        .orElseThrow();

    assertThat(layer.lines()).hasSize(2);
    assertThat(layer.lines().get(0).requirements()).containsExactly("yapf");
    assertThat(layer.lines().get(1).arguments()).containsExactly("kfp==2.17.3", "--no-deps",
        "typing-extensions>=3.7.4,<5; python_version<\"3.9\"");
    assertThat(layer.program()).containsExactly("sh", "-ec", "program", "src");
    // A venv of the component's own making (not the SDK's exact block) is not an install layer.
    assertThat(PipLines.parse(List.of("sh", "-c", VENV_SCRIPT.replace("--system-site-packages", "--clear"), "sh")))
        .isEmpty();
  }

  @Test
  void aScriptThatDoesMoreThanInstallIsLeftAlone() {
    assertThat(PipLines.parse(List.of("sh", "-c", "pip install x; rm -rf / && \"$0\" \"$@\"", "sh"))).isEmpty();
    assertThat(PipLines.parse(List.of("sh", "-c", "python3 -m pip install x && echo hi", "sh"))).isEmpty();
    assertThat(PipLines.parse(List.of("sh", "-ec", "program_path=$(mktemp -d)", "src"))).isEmpty();
  }

  @Test
  void aLightweightComponentIsRecognisedByItsExecutorMain() {
    assertThat(PipLines.isLightweightPython(List.of("sh", "-ec",
        "_KFP_RUNTIME=true python3 -m kfp.dsl.executor_main --component_module_path x"))).isTrue();
    assertThat(PipLines.isLightweightPython(List.of("echo", "hi"))).isFalse();
  }
}

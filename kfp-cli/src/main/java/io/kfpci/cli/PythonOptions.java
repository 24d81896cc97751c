package io.kfpci.cli;

import io.kfpci.compile.KfpCompiler;
import io.kfpci.python.PythonSettings;
import io.kfpci.python.VenvManager;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options shared by every command that needs the managed Python environment. */
final class PythonOptions {
  @Option(names = "--kfp-version", paramLabel = "VERSION",
      description = "kfp SDK version of the managed compiler venv (default: ${DEFAULT-VALUE}).")
  String kfpVersion = PythonSettings.DEFAULT_KFP_VERSION;

  @Option(names = "--python", paramLabel = "PYTHON",
      description = "Python 3 interpreter that creates the venvs (default: $KFPCI_PYTHON or python3).")
  String python;

  @Option(names = "--cache-dir", paramLabel = "DIR",
      description = "Cache of managed venvs (default: $KFPCI_CACHE_DIR, else $XDG_CACHE_HOME/kfpci, else ~/.cache/kfpci).")
  Path cacheDir;

  KfpCompiler compiler() {
    PythonSettings.Builder settings = PythonSettings.builder();
    if (python != null) {
      settings.pythonExecutable(python);
    }
    if (cacheDir != null) {
      settings.cacheDirectory(cacheDir);
    }
    return new KfpCompiler(new VenvManager(settings.build()));
  }
}

package io.kfpci.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * docs/cli.md and {@code --help} stay in step: every option of every command is documented in the
 * command's section, no documented option is invented, and the exit code table is
 * {@link ExitCodes}.
 */
class CliDocsTest {
  private static final Pattern SECTION = Pattern.compile("(?m)^## `kfpci ([\\w-]+)`$");
  private static final Pattern CODE = Pattern.compile("`([^`]+)`");

  private static String doc() throws Exception {
    return Files.readString(CliRun.repoRoot().resolve("docs/cli.md"));
  }

  private static CommandLine kfpci() {
    return KfpciCommand.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
  }

  @Test
  void everyCommandHasASectionListingExactlyItsOptions() throws Exception {
    String doc = doc();
    Matcher sections = SECTION.matcher(doc);
    List<String> documented = new ArrayList<>();
    List<Integer> starts = new ArrayList<>();
    while (sections.find()) {
      documented.add(sections.group(1));
      starts.add(sections.start());
    }
    Set<String> commands = new TreeSet<>(kfpci().getSubcommands().keySet());
    commands.remove("help");
    assertThat(new TreeSet<>(documented)).as("commands with a section in docs/cli.md").isEqualTo(commands);

    for (int i = 0; i < documented.size(); i++) {
      String section = doc.substring(starts.get(i), i + 1 < starts.size() ? starts.get(i + 1) : doc.length());
      CommandLine command = kfpci().getSubcommands().get(documented.get(i));
      Set<String> real = new TreeSet<>();
      for (OptionSpec option : command.getCommandSpec().options()) {
        real.addAll(Arrays.asList(option.names()));
      }
      assertThat(optionsInTable(section)).as("options of 'kfpci " + documented.get(i) + "' in docs/cli.md")
          .isEqualTo(real);
    }
  }

  /** The option names in the first column of a section's table: `-o`, `--output OUT.yaml`. */
  private static Set<String> optionsInTable(String section) {
    Set<String> names = new TreeSet<>();
    for (String line : section.lines().toList()) {
      if (!line.startsWith("| `")) {
        continue;
      }
      String first = line.substring(1, line.indexOf('|', 1));
      Matcher code = CODE.matcher(first);
      while (code.find()) {
        String name = code.group(1).split(" ")[0];
        if (name.startsWith("-")) {
          names.add(name);
        }
      }
    }
    return names;
  }

  @Test
  void theExitCodeTableIsExitCodes() throws Exception {
    Set<Integer> constants = new TreeSet<>();
    for (Field f : ExitCodes.class.getFields()) {
      if (Modifier.isStatic(f.getModifiers()) && f.getType() == int.class) {
        constants.add(f.getInt(null));
      }
    }
    String doc = doc();
    String table = doc.substring(doc.indexOf("## Exit codes"), doc.indexOf("\n## ", doc.indexOf("## Exit codes") + 1));
    Set<Integer> documented = new TreeSet<>();
    Matcher row = Pattern.compile("(?m)^\\| (\\d+) \\| ").matcher(table);
    while (row.find()) {
      documented.add(Integer.parseInt(row.group(1)));
    }
    assertThat(documented).isEqualTo(constants);
    assertThat(KfpciCommand.exitCodeList().keySet()).containsExactlyElementsOf(
        constants.stream().map(String::valueOf).toList());
  }

  @Test
  void theReadmeAndTheHelpPointToThisPage() throws Exception {
    assertThat(Files.readString(CliRun.repoRoot().resolve("README.md"))).contains("docs/cli.md");
    assertThat(CliRun.of("run", "--help").out()).contains("Exit codes (docs/cli.md):");
  }
}

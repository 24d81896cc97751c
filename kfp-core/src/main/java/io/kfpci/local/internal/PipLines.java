package io.kfpci.local.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the package-install layer the KFP SDK puts in front of a lightweight Python component
 * (kfp/dsl/component_factory.py): {@code sh -c "<ensurepip guard> PIP_DISABLE_PIP_VERSION_CHECK=1
 * python3 -m pip install ... && python3 -m pip install ... && \"$0\" \"$@\""} followed by the program.
 * The runner installs those packages once into a managed venv, so it can run the program without
 * the layer. The {@code use_venv=True} variant, which makes a throw-away venv before installing
 * kfp, is read the same way. Anything that is not exactly this shape is left alone. Stateless.
 */
public final class PipLines {
  private static final Pattern ENSUREPIP = Pattern.compile(
      "\\s*if ! \\[ -x \"\\$\\(command -v pip\\)\" ]; then\\s+python3 -m ensurepip \\|\\| python3 -m ensurepip --user"
          + " \\|\\| apt-get install python3-pip\\s+fi\\s+");
  /**
   * What {@code use_venv=True} puts between the user's packages and the kfp install: a throw-away
   * venv on top of the image's packages (component_factory.py, _use_venv_script_template). The
   * runner's managed venv already is a venv of its own, so the block is read as part of the layer.
   */
  private static final String USE_VENV_BLOCK = "\nexport PIP_DISABLE_PIP_VERSION_CHECK=1\ntmp=$(mktemp -d)\n"
      + "python3 -m venv \"$tmp/venv\" --system-site-packages\n. \"$tmp/venv/bin/activate\"\n";
  private static final String INSTALL = "python3 -m pip install";
  private static final String RUN_PROGRAM = "\"$0\" \"$@\"";
  /** pip options that only change pip's chatter; the venv install uses its own. */
  private static final List<String> NOISE = List.of("--quiet", "-q", "--no-warn-script-location");
  private static final List<String> OPTIONS_WITH_VALUE = List.of("--index-url", "-i", "--extra-index-url",
      "--trusted-host", "--find-links", "-f", "--constraint", "-c");

  private PipLines() {}

  /**
   * One {@code pip install}: its arguments without pip's chatter options, and the requirement
   * specifiers among them.
   */
  public record PipLine(List<String> arguments, List<String> requirements) {
    public PipLine {
      arguments = List.copyOf(arguments);
      requirements = List.copyOf(requirements);
    }
  }

  /**
   * The component's command split in two: its pip lines, and the program it runs after them
   * (the rest of the command). Empty when the command does not start with the SDK's install layer.
   */
  public record InstallLayer(List<PipLine> lines, List<String> program) {}

  /** True for a lightweight Python component: its command runs kfp's executor_main. */
  public static boolean isLightweightPython(List<String> command) {
    return command.stream().anyMatch(c -> c.contains("kfp.dsl.executor_main"));
  }

  public static Optional<InstallLayer> parse(List<String> command) {
    if (command.size() < 4 || !command.get(0).equals("sh") || !command.get(1).equals("-c")) {
      return Optional.empty();
    }
    String script = command.get(2).replace(USE_VENV_BLOCK, " ");
    Matcher guard = ENSUREPIP.matcher(script);
    String rest = guard.lookingAt() ? script.substring(guard.end()) : script.stripLeading();
    rest = rest.strip();
    if (rest.startsWith("PIP_DISABLE_PIP_VERSION_CHECK=1 ")) {
      rest = rest.substring("PIP_DISABLE_PIP_VERSION_CHECK=1 ".length()).stripLeading();
    }
    List<List<String>> segments = splitAndAnd(rest);
    if (segments.isEmpty()) {
      return Optional.empty();
    }
    List<String> last = segments.get(segments.size() - 1);
    if (!last.equals(List.of("$0", "$@"))) {
      return Optional.empty();
    }
    List<PipLine> lines = new ArrayList<>();
    for (List<String> segment : segments.subList(0, segments.size() - 1)) {
      Optional<PipLine> line = pipLine(segment);
      if (line.isEmpty()) {
        return Optional.empty();
      }
      lines.add(line.get());
    }
    return Optional.of(new InstallLayer(lines, command.subList(3, command.size())));
  }

  private static Optional<PipLine> pipLine(List<String> words) {
    List<String> prefix = List.of(INSTALL.split(" "));
    if (words.size() < prefix.size() || !words.subList(0, prefix.size()).equals(prefix)) {
      return Optional.empty();
    }
    List<String> arguments = new ArrayList<>();
    List<String> requirements = new ArrayList<>();
    List<String> rest = words.subList(prefix.size(), words.size());
    for (int i = 0; i < rest.size(); i++) {
      String word = rest.get(i);
      if (NOISE.contains(word)) {
        continue;
      }
      arguments.add(word);
      if (OPTIONS_WITH_VALUE.contains(word) && i + 1 < rest.size()) {
        arguments.add(rest.get(++i));
      } else if (!word.startsWith("-")) {
        requirements.add(word);
      }
    }
    return Optional.of(new PipLine(arguments, requirements));
  }

  /**
   * Splits a command list on top-level {@code &&} into words, with POSIX shell quoting ('...'
   * literal, "..." with backslash escapes). Returns empty for anything else the SDK never writes
   * (pipes, redirections, subshells, other operators), so such scripts are left untouched.
   */
  static List<List<String>> splitAndAnd(String script) {
    List<List<String>> segments = new ArrayList<>();
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean inWord = false;
    int i = 0;
    while (i < script.length()) {
      char c = script.charAt(i);
      if (c == '\'') {
        int end = script.indexOf('\'', i + 1);
        if (end < 0) {
          return List.of();
        }
        word.append(script, i + 1, end);
        inWord = true;
        i = end + 1;
      } else if (c == '"') {
        int j = i + 1;
        while (j < script.length() && script.charAt(j) != '"') {
          char d = script.charAt(j);
          if (d == '\\' && j + 1 < script.length() && "\"\\$`".indexOf(script.charAt(j + 1)) >= 0) {
            word.append(script.charAt(j + 1));
            j += 2;
          } else {
            word.append(d);
            j++;
          }
        }
        if (j >= script.length()) {
          return List.of();
        }
        inWord = true;
        i = j + 1;
      } else if (Character.isWhitespace(c)) {
        if (inWord) {
          words.add(word.toString());
          word.setLength(0);
          inWord = false;
        }
        i++;
      } else if (c == '&' && i + 1 < script.length() && script.charAt(i + 1) == '&') {
        if (inWord) {
          words.add(word.toString());
          word.setLength(0);
          inWord = false;
        }
        if (words.isEmpty()) {
          return List.of();
        }
        segments.add(words);
        words = new ArrayList<>();
        i += 2;
      } else if ("|;<>()`&".indexOf(c) >= 0) {
        return List.of();
      } else {
        word.append(c);
        inWord = true;
        i++;
      }
    }
    if (inWord) {
      words.add(word.toString());
    }
    if (!words.isEmpty()) {
      segments.add(words);
    }
    return segments;
  }
}

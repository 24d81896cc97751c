package io.kfpci.ir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds and parses the placeholders of container commands and arguments. Structural placeholders
 * ({@code {"Concat": [...]}} and {@code {"IfPresent": {...}}}) are JSON strings in the IR; they
 * are recognised by {@link #structural(String)}.
 */
public final class Placeholders {
  private static final Pattern TOKEN = Pattern.compile("\\{\\{\\$(.*?)}}");
  private static final String NAME = "\\[['\"]([^'\"\\]]+)['\"]]";
  private static final Pattern INPUT_PARAMETER =
      Pattern.compile("\\.inputs\\.parameters" + NAME + "(?:\\.json_escape\\[(\\d+)])?");
  private static final Pattern INPUT_ARTIFACT =
      Pattern.compile("\\.inputs\\.artifacts" + NAME + "(\\.path|\\.uri|\\.metadata(?:" + NAME + ")?)?");
  private static final Pattern OUTPUT_PARAMETER =
      Pattern.compile("\\.outputs\\.parameters" + NAME + "\\.output_file");
  private static final Pattern OUTPUT_ARTIFACT =
      Pattern.compile("\\.outputs\\.artifacts" + NAME + "(\\.path|\\.uri|\\.metadata(?:" + NAME + ")?)?");
  private static final ObjectMapper JSON = new ObjectMapper();

  private Placeholders() {}

  /** A placeholder-looking token that does not parse. */
  public record Malformed(String text, String reason) {}

  /** Parsed tokens of one string, in order. */
  public record Scan(List<Placeholder> placeholders, List<Malformed> malformed) {}

  public static Scan scan(String value) {
    List<Placeholder> found = new ArrayList<>();
    List<Malformed> bad = new ArrayList<>();
    Matcher m = TOKEN.matcher(value);
    while (m.find()) {
      String text = m.group();
      Optional<Placeholder> parsed = parse(text, m.group(1));
      if (parsed.isPresent()) {
        found.add(parsed.get());
      } else {
        bad.add(new Malformed(text, "not a KFP placeholder"));
      }
    }
    // "{{$" with no closing braces is a typo the launcher would pass through verbatim.
    String rest = TOKEN.matcher(value).replaceAll("");
    int open = rest.indexOf("{{$");
    if (open >= 0) {
      bad.add(new Malformed(rest.substring(open, Math.min(rest.length(), open + 40)), "unclosed '{{$'"));
    }
    return new Scan(found, bad);
  }

  private static Optional<Placeholder> parse(String text, String body) {
    if (body.isEmpty()) {
      return Optional.of(new Placeholder.ExecutorInputJson(text));
    }
    Matcher m;
    if ((m = INPUT_PARAMETER.matcher(body)).matches()) {
      return Optional.of(new Placeholder.InputParameter(text, m.group(1),
          Optional.ofNullable(m.group(2)).map(Integer::valueOf)));
    }
    if ((m = INPUT_ARTIFACT.matcher(body)).matches()) {
      return Optional.of(new Placeholder.InputArtifact(text, m.group(1), attribute(m.group(2)),
          Optional.ofNullable(m.group(3))));
    }
    if ((m = OUTPUT_PARAMETER.matcher(body)).matches()) {
      return Optional.of(new Placeholder.OutputParameterFile(text, m.group(1)));
    }
    if ((m = OUTPUT_ARTIFACT.matcher(body)).matches()) {
      return Optional.of(new Placeholder.OutputArtifact(text, m.group(1), attribute(m.group(2)),
          Optional.ofNullable(m.group(3))));
    }
    if (body.equals(".outputs.output_file")) {
      return Optional.of(new Placeholder.ExecutorOutputFile(text));
    }
    for (Placeholder.RunValueKind kind : Placeholder.RunValueKind.values()) {
      if (body.equals("." + kind.key())) {
        return Optional.of(new Placeholder.RunValue(text, kind));
      }
    }
    return Optional.empty();
  }

  private static Placeholder.ArtifactAttribute attribute(String suffix) {
    if (suffix == null) {
      return Placeholder.ArtifactAttribute.WHOLE;
    }
    if (suffix.equals(".path")) {
      return Placeholder.ArtifactAttribute.PATH;
    }
    if (suffix.equals(".uri")) {
      return Placeholder.ArtifactAttribute.URI;
    }
    return suffix.equals(".metadata")
        ? Placeholder.ArtifactAttribute.METADATA
        : Placeholder.ArtifactAttribute.METADATA_KEY;
  }

  /**
   * The parsed JSON of a structural placeholder argument, when {@code arg} is one: an object with
   * exactly one key, {@code Concat} or {@code IfPresent}.
   */
  public static Optional<JsonNode> structural(String arg) {
    String trimmed = arg.strip();
    if (!trimmed.startsWith("{\"Concat\"") && !trimmed.startsWith("{\"IfPresent\"")) {
      return Optional.empty();
    }
    try {
      JsonNode node = JSON.readTree(trimmed);
      return node.isObject() && node.size() == 1 ? Optional.of(node) : Optional.empty();
    } catch (java.io.IOException e) {
      return Optional.empty();
    }
  }
}

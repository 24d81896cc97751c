package io.kfpci.ir;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
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
  private static final String OPEN = "{{$";
  /**
   * The deepest {@code json_escape[N]} accepted. The KFP SDK writes 0 or 1; every level escapes
   * the value once more, and a backslash doubles each time, so a large N is a memory bomb.
   */
  public static final int MAX_JSON_ESCAPE = 8;
  private static final Pattern JSON_ESCAPE = Pattern.compile("\\.json_escape\\[(\\d+)]$");
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

  /**
   * The placeholders of {@code value}, in one pass: time linear in its length, however many
   * {@code {{$} openings it has without a closing {@code }}} (a regular expression retried from
   * each opening would be quadratic). A token is {@code {{$} up to the first {@code }}} on the
   * same line, as the launcher reads it.
   */
  public static Scan scan(String value) {
    List<Placeholder> found = new ArrayList<>();
    List<Malformed> bad = new ArrayList<>();
    StringBuilder rest = null; // the text outside tokens, only built when there are tokens
    int copied = 0;
    int close = -2; // next "}}" at or after the current search point, -1 when none is left
    int lineEnd = -2; // next line terminator likewise
    int from = 0;
    while (true) {
      int open = value.indexOf(OPEN, from);
      if (open < 0) {
        break;
      }
      int bodyStart = open + OPEN.length();
      if (close != -1 && close < bodyStart) {
        close = value.indexOf("}}", bodyStart);
      }
      if (lineEnd != -1 && lineEnd < bodyStart) {
        lineEnd = nextLineEnd(value, bodyStart);
      }
      if (close < 0) {
        break; // no token can close any more
      }
      if (lineEnd >= 0 && lineEnd < close) {
        from = open + 1; // this opening's line ends first; a later opening may still close
        continue;
      }
      String text = value.substring(open, close + 2);
      Optional<Placeholder> parsed = parse(text, value.substring(bodyStart, close));
      if (parsed.isPresent()) {
        found.add(parsed.get());
      } else {
        bad.add(new Malformed(abbreviate(text), reason(value.substring(bodyStart, close))));
      }
      if (rest == null) {
        rest = new StringBuilder(value.length());
      }
      rest.append(value, copied, open);
      copied = close + 2;
      from = close + 2;
    }
    // "{{$" with no closing braces is a typo the launcher would pass through verbatim.
    String outside = rest == null ? value : rest.append(value, copied, value.length()).toString();
    int unclosed = outside.indexOf(OPEN);
    if (unclosed >= 0) {
      bad.add(new Malformed(outside.substring(unclosed, Math.min(outside.length(), unclosed + 40)), "unclosed '{{$'"));
    }
    return new Scan(found, bad);
  }

  /** The index of the first line terminator at or after {@code from}, or -1. */
  private static int nextLineEnd(String value, int from) {
    for (int i = from; i < value.length(); i++) {
      char c = value.charAt(i);
      // The line terminators of java.util.regex's '.', which the launcher's pattern shares.
      if (c == '\n' || c == '\r' || c == '\u0085' || c == '\u2028' || c == '\u2029') {
        return i;
      }
    }
    return -1;
  }

  private static String reason(String body) {
    Matcher m = JSON_ESCAPE.matcher(body);
    if (m.find()) {
      return beyondTheLimit(m.group(1));
    }
    return "not a KFP placeholder";
  }

  private static String beyondTheLimit(String level) {
    return "json_escape[" + abbreviate(level) + "] is beyond the limit of " + MAX_JSON_ESCAPE
        + " (each level escapes the value once more, so it grows exponentially)";
  }

  /**
   * Why the placeholder token {@code text} ({@code {{$...}}}) is refused for its
   * {@code json_escape[N]} being beyond {@link #MAX_JSON_ESCAPE}, or empty when it is not: the
   * validator reports such a token as malformed, and the local runner refuses to substitute it
   * rather than pass it on verbatim.
   */
  public static Optional<String> escapeBeyondTheLimit(String text) {
    if (!text.startsWith(OPEN) || !text.endsWith("}}")) {
      return Optional.empty();
    }
    String body = text.substring(OPEN.length(), text.length() - 2);
    Matcher m = INPUT_PARAMETER.matcher(body);
    if (m.matches() && m.group(2) != null && !withinTheLimit(m.group(2))) {
      return Optional.of(beyondTheLimit(m.group(2)));
    }
    return Optional.empty();
  }

  private static boolean withinTheLimit(String digits) {
    return digits.length() <= 2 && Integer.parseInt(digits) <= MAX_JSON_ESCAPE;
  }

  /**
   * The value of {@code {{$.inputs.parameters['x'].json_escape[N]}}}: {@code text} escaped as the
   * inside of a JSON string (quote and backslash backslashed, control characters as \n, \t...
   * or a backslash-u escape, nothing else touched), N + 1 times, so that it can stand inside N + 1 nested JSON
   * string literals. Level 0 turns a"b into a\"b, level 1 into a\\\"b. The one implementation,
   * shared by the validator's side and the runner's substitution.
   *
   * @throws IllegalArgumentException when {@code level} is negative or beyond {@link #MAX_JSON_ESCAPE}
   */
  public static String jsonEscape(String text, int level) {
    if (level < 0 || level > MAX_JSON_ESCAPE) {
      throw new IllegalArgumentException(beyondTheLimit(Integer.toString(level)));
    }
    String out = text;
    for (int i = 0; i <= level; i++) {
      out = new String(JsonStringEncoder.getInstance().quoteAsString(out));
    }
    return out;
  }

  private static String abbreviate(String text) {
    return text.length() <= 200 ? text : text.substring(0, 197) + "...";
  }

  private static Optional<Placeholder> parse(String text, String body) {
    if (body.isEmpty()) {
      return Optional.of(new Placeholder.ExecutorInputJson(text));
    }
    Matcher m;
    if ((m = INPUT_PARAMETER.matcher(body)).matches()) {
      String escape = m.group(2);
      if (escape != null && !withinTheLimit(escape)) {
        return Optional.empty(); // reported as malformed, with the limit
      }
      return Optional.of(new Placeholder.InputParameter(text, m.group(1),
          Optional.ofNullable(escape).map(Integer::valueOf)));
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

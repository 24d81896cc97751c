package io.kfpci.ir.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.ErrorReportConfiguration;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import com.fasterxml.jackson.core.io.ContentReference;
import com.fasterxml.jackson.core.io.IOContext;
import com.fasterxml.jackson.core.util.BufferRecycler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import io.kfpci.ir.FieldPath;
import io.kfpci.ir.PipelineLoader;
import io.kfpci.problem.InvalidPipelineException;
import io.kfpci.problem.Problem;
import io.kfpci.problem.Rule;
import io.kfpci.problem.SourcePosition;
import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;

/**
 * Reads YAML or JSON into Jackson trees while recording the line and column of every key and
 * value. Hostile input is bounded: nesting deeper than {@link #MAX_DEPTH} and YAML aliases (the
 * vehicle of "billion laughs" bombs; the KFP compiler never writes them) are errors, duplicate
 * keys are errors rather than a silent last-one-wins, and the whole input is capped at 32 MiB.
 * Loading takes time linear in the size of the file, whatever the length of its lines
 * ({@link LinearStreamReader}). The text must be UTF-8; the first invalid byte or (in YAML) the
 * first character YAML forbids is reported at its line and column.
 *
 * <p>Until the text looks like a pipeline ({@link #looksLikePipeline}), messages say what is wrong
 * and where, but never quote the file: a path given by mistake, or a symbolic link to a
 * credentials file, must not print its secrets.
 */
final class TreeReader {
  static final int MAX_DEPTH = 64;

  /** One YAML document (or the JSON value) with the positions of its nodes, keyed by raw path. */
  record ParsedDocument(int index, JsonNode root, Map<FieldPath, SourcePosition> positions) {}

  private static final YAMLFactory YAML = YAMLFactory.builder()
      .loaderOptions(loaderOptions())
      .streamReadConstraints(constraints())
      .build();
  private static final JsonFactory JSON = JsonFactory.builder()
      .streamReadConstraints(constraints())
      .build();

  /** A top-level PipelineSpec field, as a key (either spelling, maybe quoted): the sign of a pipeline. */
  private static final Pattern PIPELINE_KEY = Pattern.compile(
      "(?:^|[\\s{,])[\"']?(pipelineInfo|pipeline_info|deploymentSpec|deployment_spec|schemaVersion|schema_version"
          + "|sdkVersion|sdk_version|components|root)[\"']?\\s*:");
  private static final String NOT_QUOTED = " (the text is not quoted: the file does not look like a KFP pipeline)";

  private final String file;
  private final JsonNodeFactory nodes = JsonNodeFactory.instance;
  private Map<FieldPath, SourcePosition> positions;
  /** Whether messages may quote the file's text; false until it looks like a pipeline. */
  private boolean quote;

  private TreeReader(String file) {
    this.file = file;
  }

  static List<ParsedDocument> read(PackageReader.Entry entry) throws InvalidPipelineException {
    return new TreeReader(entry.name()).readAll(entry);
  }

  /**
   * Whether {@code text} has two different PipelineSpec keys, so quoting it leaks nothing. Every
   * compiled pipeline has five or more; one alone proves little ("root: s3cret" is a password).
   */
  static boolean looksLikePipeline(String text) {
    java.util.regex.Matcher m = PIPELINE_KEY.matcher(text);
    String first = null;
    while (m.find()) {
      String key = m.group(1).replace("_", "").toLowerCase(java.util.Locale.ROOT);
      if (first == null) {
        first = key;
      } else if (!first.equals(key)) {
        return true;
      }
    }
    return false;
  }

  private List<ParsedDocument> readAll(PackageReader.Entry entry) throws InvalidPipelineException {
    String text = decode(entry.content());
    if (!text.isEmpty() && text.charAt(0) == '\uFEFF') {
      text = text.substring(1); // a UTF-8 byte order mark, which editors on Windows write
    }
    quote = looksLikePipeline(text);
    boolean json = entry.syntax() == PackageReader.Syntax.JSON;
    if (!json) {
      requirePrintable(text);
    }
    List<ParsedDocument> documents = new ArrayList<>();
    try (JsonParser parser = json ? JSON.createParser(text) : yamlParser(text)) {
      for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
        positions = new HashMap<>();
        JsonNode root = readValue(parser, token, FieldPath.ROOT, 0);
        documents.add(new ParsedDocument(documents.size(), root, positions));
      }
    } catch (JsonProcessingException e) {
      throw syntaxError(entry, e);
    } catch (YAMLException e) {
      // SnakeYAML errors that Jackson does not wrap (a limit reached while scanning, for one).
      throw new InvalidPipelineException(List.of(Problem.error(Rule.FILE_FORMAT, SourcePosition.wholeFile(file),
          "$", "YAML syntax error: " + (quote ? firstLine(e.getMessage()) : "unreadable YAML" + NOT_QUOTED), "")));
    } catch (IOException e) {
      throw new InvalidPipelineException(List.of(Problem.error(Rule.FILE_FORMAT,
          SourcePosition.wholeFile(file), "$", "cannot read the file: " + e.getMessage(), "")));
    }
    return documents;
  }

  private JsonNode readValue(JsonParser parser, JsonToken token, FieldPath path, int depth)
      throws IOException, InvalidPipelineException {
    SourcePosition here = position(parser);
    positions.putIfAbsent(path, here);
    if (parser instanceof YAMLParser yaml && yaml.isCurrentAlias()) {
      throw new InvalidPipelineException(List.of(Problem.error(Rule.FILE_FORMAT, here,
          shown(path), (quote ? "YAML alias '*" + yaml.getText() + "'" : "a YAML alias")
              + " is not supported in pipeline files",
          "write the value out in full; the KFP compiler never emits anchors or aliases")));
    }
    if (depth > MAX_DEPTH) {
      throw new InvalidPipelineException(List.of(Problem.error(Rule.FILE_FORMAT, here,
          shown(path), "the document is nested deeper than " + MAX_DEPTH + " levels", "")));
    }
    switch (token) {
      case START_OBJECT -> {
        ObjectNode object = nodes.objectNode();
        for (JsonToken t = parser.nextToken(); t != JsonToken.END_OBJECT; t = parser.nextToken()) {
          String key = parser.currentName();
          FieldPath child = path.key(key);
          SourcePosition keyAt = position(parser);
          if (object.has(key)) {
            throw new InvalidPipelineException(List.of(Problem.error(Rule.FILE_FORMAT, keyAt,
                shown(child), "duplicate key" + (quote ? " '" + key + "'" : "") + " (first at line "
                    + positions.get(child).line() + ")", "keep one of the two entries")));
          }
          positions.put(child, keyAt);
          object.set(key, readValue(parser, parser.nextToken(), child, depth + 1));
        }
        return object;
      }
      case START_ARRAY -> {
        ArrayNode array = nodes.arrayNode();
        int i = 0;
        for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken()) {
          array.add(readValue(parser, t, path.index(i++), depth + 1));
        }
        return array;
      }
      case VALUE_STRING -> {
        return nodes.textNode(parser.getText());
      }
      case VALUE_NUMBER_INT -> {
        return switch (parser.getNumberType()) {
          case INT -> nodes.numberNode(parser.getIntValue());
          case LONG -> nodes.numberNode(parser.getLongValue());
          default -> nodes.numberNode(parser.getBigIntegerValue());
        };
      }
      case VALUE_NUMBER_FLOAT -> {
        return nodes.numberNode(parser.getDoubleValue());
      }
      case VALUE_TRUE -> {
        return nodes.booleanNode(true);
      }
      case VALUE_FALSE -> {
        return nodes.booleanNode(false);
      }
      case VALUE_NULL -> {
        return nodes.nullNode();
      }
      default -> throw new InvalidPipelineException(List.of(Problem.error(Rule.FILE_FORMAT, here,
          shown(path), "unexpected " + token + " in the document", "")));
    }
  }

  /** The path of a node for a message: its keys are the file's text, so only for a pipeline. */
  private String shown(FieldPath path) {
    return quote ? path.toString() : "$";
  }

  private SourcePosition position(JsonParser parser) {
    JsonLocation at = parser.currentTokenLocation();
    return new SourcePosition(file, Math.max(1, at.getLineNr()), Math.max(1, at.getColumnNr()));
  }

  /**
   * One line and the exact place: SnakeYAML's own message spans several lines with a snippet and
   * a caret, which would break the one-line-per-problem output, so its parts are used instead.
   */
  private InvalidPipelineException syntaxError(PackageReader.Entry entry, JsonProcessingException e) {
    SourcePosition position;
    String message;
    MarkedYAMLException yaml = markedCause(e);
    if (yaml != null && yaml.getProblemMark() != null) {
      Mark at = yaml.getProblemMark();
      position = new SourcePosition(file, at.getLine() + 1, at.getColumn() + 1);
      message = String.valueOf(yaml.getProblem());
      if (yaml.getContext() != null) {
        message += " (" + yaml.getContext()
            + (yaml.getContextMark() == null ? "" : " at line " + (yaml.getContextMark().getLine() + 1)) + ")";
      }
    } else {
      JsonLocation at = e.getLocation();
      position = at == null
          ? SourcePosition.wholeFile(file)
          : new SourcePosition(file, Math.max(1, at.getLineNr()), Math.max(1, at.getColumnNr()));
      message = firstLine(e.getOriginalMessage());
    }
    if (!quote) {
      message = "the text is not " + syntaxName(entry) + NOT_QUOTED;
    }
    return new InvalidPipelineException(List.of(Problem.error(Rule.FILE_FORMAT, position, "$",
        syntaxName(entry) + " syntax error: " + message, "")));
  }

  private static String firstLine(String message) {
    return message == null ? "" : message.lines().findFirst().orElse("");
  }

  /** Strict UTF-8, as the KFP API server reads pipelines; the first bad byte is placed exactly. */
  private String decode(byte[] bytes) throws InvalidPipelineException {
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length);
    CoderResult result = decoder.decode(in, out, true);
    if (!result.isError()) {
      result = decoder.flush(out);
    }
    if (result.isError()) {
      int offset = in.position();
      int line = 1;
      int lineStart = 0;
      for (int i = 0; i < offset; i++) {
        if (bytes[i] == '\n' || (bytes[i] == '\r' && (i + 1 >= bytes.length || bytes[i + 1] != '\n'))) {
          line++;
          lineStart = i + 1;
        }
      }
      int column = 1;
      for (int i = lineStart; i < offset; i++) {
        if ((bytes[i] & 0xC0) != 0x80) { // count characters, not their continuation bytes
          column++;
        }
      }
      throw new InvalidPipelineException(List.of(Problem.error(Rule.FILE_FORMAT,
          new SourcePosition(file, line, column), "$", String.format(
              "the file is not valid UTF-8: byte 0x%02X at line %d, column %d does not start a valid character",
              bytes[offset] & 0xFF, line, column),
          "save the file as UTF-8, as the kfp compiler writes it")));
    }
    out.flip();
    return out.toString();
  }

  /**
   * The characters YAML allows (SnakeYAML's StreamReader.isPrintable): checked here, with the
   * real position, because {@link LinearStreamReader} does not read through SnakeYAML's checks.
   */
  private void requirePrintable(String text) throws InvalidPipelineException {
    int line = 1;
    int column = 1;
    for (int i = 0; i < text.length(); ) {
      int c = text.codePointAt(i);
      if (!StreamReader.isPrintable(c)) {
        throw new InvalidPipelineException(List.of(Problem.error(Rule.FILE_FORMAT,
            new SourcePosition(file, line, column), "$", String.format(
                "the character U+%04X at line %d, column %d is not allowed in YAML", c, line, column),
            "YAML allows printable characters, tabs and line breaks; write others as escapes in a"
                + " double-quoted string, e.g. \"\\u0007\"")));
      }
      i += Character.charCount(c);
      if (c == '\n' || (c == '\r' && (i >= text.length() || text.charAt(i) != '\n'))) {
        line++;
        column = 1;
      } else {
        column++;
      }
    }
  }

  /** Jackson's YAML parser over {@link LinearStreamReader} instead of SnakeYAML's own reader. */
  private static JsonParser yamlParser(String text) {
    IOContext context = new IOContext(YAML.streamReadConstraints(), StreamWriteConstraints.defaults(),
        ErrorReportConfiguration.defaults(), new BufferRecycler(), ContentReference.redacted(), false);
    ParserImpl events = new ParserImpl(new LinearStreamReader(text.codePoints().toArray()), loaderOptions());
    int yamlFeatures = 0;
    for (YAMLParser.Feature feature : YAMLParser.Feature.values()) {
      // getFormatParserFeatures() does not report the defaults, such as EMPTY_STRING_AS_NULL.
      yamlFeatures |= YAML.isEnabled(feature) ? feature.getMask() : 0;
    }
    return new LinearYamlParser(context, YAML.getParserFeatures(), yamlFeatures, new StringReader(""), events);
  }

  /** Exists only to reach YAMLParser's constructor that takes a ready SnakeYAML parser. */
  private static final class LinearYamlParser extends YAMLParser {
    LinearYamlParser(IOContext context, int parserFeatures, int yamlFeatures, java.io.Reader reader,
        ParserImpl events) {
      super(context, parserFeatures, yamlFeatures, null, reader, events);
    }
  }

  private static MarkedYAMLException markedCause(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof MarkedYAMLException marked) {
        return marked;
      }
    }
    return null;
  }

  private static String syntaxName(PackageReader.Entry entry) {
    return entry.syntax() == PackageReader.Syntax.JSON ? "JSON" : "YAML";
  }

  private static LoaderOptions loaderOptions() {
    LoaderOptions options = new LoaderOptions();
    options.setCodePointLimit((int) PipelineLoader.MAX_FILE_BYTES);
    options.setMaxAliasesForCollections(0);
    options.setAllowRecursiveKeys(false);
    options.setNestingDepthLimit(MAX_DEPTH + 8);
    return options;
  }

  private static StreamReadConstraints constraints() {
    return StreamReadConstraints.builder()
        .maxNestingDepth(MAX_DEPTH + 8)
        .maxStringLength((int) PipelineLoader.MAX_FILE_BYTES)
        .maxDocumentLength(PipelineLoader.MAX_FILE_BYTES)
        .build();
  }
}

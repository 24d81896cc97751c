package io.kfpci.ir.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads YAML or JSON into Jackson trees while recording the line and column of every key and
 * value. Hostile input is bounded: nesting deeper than {@link #MAX_DEPTH} and YAML aliases (the
 * vehicle of "billion laughs" bombs; the KFP compiler never writes them) are errors, duplicate
 * keys are errors rather than a silent last-one-wins, and the whole input is capped at 32 MiB.
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

  private final String file;
  private final JsonNodeFactory nodes = JsonNodeFactory.instance;
  private Map<FieldPath, SourcePosition> positions;

  private TreeReader(String file) {
    this.file = file;
  }

  static List<ParsedDocument> read(PackageReader.Entry entry) throws InvalidPipelineException {
    return new TreeReader(entry.name()).readAll(entry);
  }

  private List<ParsedDocument> readAll(PackageReader.Entry entry) throws InvalidPipelineException {
    JsonFactory factory = entry.syntax() == PackageReader.Syntax.JSON ? JSON : YAML;
    List<ParsedDocument> documents = new ArrayList<>();
    try (JsonParser parser = factory.createParser(entry.content())) {
      for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
        positions = new HashMap<>();
        JsonNode root = readValue(parser, token, FieldPath.ROOT, 0);
        documents.add(new ParsedDocument(documents.size(), root, positions));
      }
    } catch (JsonProcessingException e) {
      throw syntaxError(entry, e);
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
          path.toString(), "YAML alias '*" + yaml.getText() + "' is not supported in pipeline files",
          "write the value out in full; the KFP compiler never emits anchors or aliases")));
    }
    if (depth > MAX_DEPTH) {
      throw new InvalidPipelineException(List.of(Problem.error(Rule.FILE_FORMAT, here,
          path.toString(), "the document is nested deeper than " + MAX_DEPTH + " levels", "")));
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
                child.toString(), "duplicate key '" + key + "' (first at line "
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
          path.toString(), "unexpected " + token + " in the document", "")));
    }
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
      message = yaml.getProblem();
      if (yaml.getContext() != null) {
        message += " (" + yaml.getContext()
            + (yaml.getContextMark() == null ? "" : " at line " + (yaml.getContextMark().getLine() + 1)) + ")";
      }
    } else {
      JsonLocation at = e.getLocation();
      position = at == null
          ? SourcePosition.wholeFile(file)
          : new SourcePosition(file, Math.max(1, at.getLineNr()), Math.max(1, at.getColumnNr()));
      message = e.getOriginalMessage().lines().findFirst().orElse("");
    }
    return new InvalidPipelineException(List.of(Problem.error(Rule.FILE_FORMAT, position, "$",
        syntaxName(entry) + " syntax error: " + message, "")));
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

package io.kfpci.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.kfpci.KfpException;
import io.kfpci.files.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads and writes run summaries as JSON (snake_case keys, RFC 3339 times, absent nulls). Writes
 * are atomic (a temp file renamed over the target), so a watcher polling the file never sees half
 * a document. Thread-safe.
 */
public final class RunSummaryJson {
  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .addModule(new JavaTimeModule())
      .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .serializationInclusion(JsonInclude.Include.NON_NULL)
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .enable(SerializationFeature.INDENT_OUTPUT)
      // Newer minor versions may add fields; old readers keep working.
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .build();

  private RunSummaryJson() {}

  public static String toJson(RunSummary summary) {
    try {
      return MAPPER.writeValueAsString(summary) + "\n";
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("a run summary always serialises", e);
    }
  }

  public static RunSummary fromJson(String json, String source) throws KfpException {
    try {
      RunSummary summary = MAPPER.readValue(json, RunSummary.class);
      if (summary.formatVersion() > RunSummary.FORMAT_VERSION) {
        throw new KfpException(source + ": run summary format " + summary.formatVersion()
            + " is newer than this kfpci understands (" + RunSummary.FORMAT_VERSION + "); upgrade kfpci");
      }
      return summary;
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new KfpException(source + ": not a valid run summary: " + describe(e), e);
    } catch (IOException e) {
      throw new KfpException(source + ": not a valid run summary: " + e.getMessage(), e);
    }
  }

  /**
   * A parse failure in the words of the summary format (docs/run-summary.md), with its line and
   * column: Jackson's own message names Java classes and repeats the whole source.
   */
  private static String describe(com.fasterxml.jackson.core.JsonProcessingException e) {
    com.fasterxml.jackson.core.JsonLocation at = e.getLocation();
    String where = at != null && at.getLineNr() > 0 ? "line " + at.getLineNr() + ", column " + at.getColumnNr() + ": " : "";
    if (e instanceof com.fasterxml.jackson.databind.exc.ValueInstantiationException && e.getCause() != null
        && e.getCause().getMessage() != null && e.getCause().getMessage().matches("[a-zA-Z]+")) {
      // A record component checked for null: its Java name, which the file spells in snake_case.
      return where + "field '" + e.getCause().getMessage().replaceAll("([A-Z])", "_$1").toLowerCase(java.util.Locale.ROOT)
          + "' is missing or invalid";
    }
    String message = e.getOriginalMessage();
    return where + (message == null ? e.getClass().getSimpleName() : message.lines().findFirst().orElse(""));
  }

  public static RunSummary read(Path file) throws KfpException {
    try {
      return fromJson(Files.readString(file, StandardCharsets.UTF_8), file.toString());
    } catch (IOException e) {
      throw new KfpException("cannot read run summary " + file + ": " + e.getMessage(), e);
    }
  }

  /** Writes atomically: readers see the old or the new document, never a partial one. */
  public static void write(RunSummary summary, Path file) throws IOException {
    AtomicFiles.write(file, toJson(summary));
  }

}

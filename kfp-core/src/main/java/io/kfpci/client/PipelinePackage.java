package io.kfpci.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A compiled pipeline ready to upload or run inline: the file's bytes, the pipeline spec and the
 * optional platform spec as JSON, and the SHA-256 of the canonical IR (every document with keys
 * sorted, compact JSON, joined by a newline), so reformatting or reordering the YAML does not
 * count as a change but any changed value does. Immutable.
 *
 * <p>Call it only on a file that passed our own loader: a malformed upload can hang a 2.17.0
 * server (FACTS 1.9).
 */
public record PipelinePackage(String fileName, byte[] content, String pipelineName, JsonNode pipelineSpec,
    JsonNode platformSpec, String sha256) {

  private static final ObjectMapper SORTED = JsonMapper.builder()
      .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS).build();

  public PipelinePackage {
    content = content.clone();
  }

  @Override
  public byte[] content() {
    return content.clone();
  }

  /** Reads a YAML or JSON IR file (one or two documents: the pipeline spec, then a platform spec). */
  public static PipelinePackage of(String fileName, byte[] content) throws KfpApiException {
    if (content.length > (32L << 20)) {
      throw new KfpApiException(fileName + " is " + content.length + " bytes; KFP takes at most 32 MiB per upload",
          0, "", "", "", false, null);
    }
    List<JsonNode> docs = new ArrayList<>();
    try (var parser = new YAMLFactory().createParser(content)) {
      Iterator<JsonNode> it = new YAMLMapper().readValues(parser, JsonNode.class);
      while (it.hasNext()) {
        JsonNode doc = it.next();
        if (doc != null && !doc.isNull() && !doc.isMissingNode()) {
          docs.add(doc);
        }
      }
    } catch (IOException | RuntimeException e) {
      throw new KfpApiException(fileName + " is not a YAML or JSON pipeline: " + e.getMessage(), 0, "", "", "", false, e);
    }
    JsonNode spec = docs.stream().filter(d -> d.has("pipelineInfo") && d.has("root")).findFirst().orElse(null);
    if (spec == null) {
      throw new KfpApiException(fileName + " holds no pipeline spec (a document with pipelineInfo and root)",
          0, "", "", "", false, null);
    }
    JsonNode platform = docs.stream().filter(d -> d.has("platforms")).findFirst().orElse(null);
    String name = spec.path("pipelineInfo").path("name").asText("");
    if (name.isEmpty()) {
      throw new KfpApiException(fileName + ": pipelineInfo.name is empty", 0, "", "", "", false, null);
    }
    return new PipelinePackage(fileName, content, name, spec, platform, canonicalSha256(docs));
  }

  /** What a run sends inline: the spec itself, or the wrapper with the platform spec (FACTS 1.6). */
  public JsonNode inlineSpec() {
    if (platformSpec == null) {
      return pipelineSpec;
    }
    ObjectNode wrapper = JsonMapper.builder().build().createObjectNode();
    wrapper.set("pipeline_spec", pipelineSpec);
    wrapper.set("platform_spec", platformSpec);
    return wrapper;
  }

  /**
   * This pipeline with caching turned off for every task, as the SDK's {@code enable_caching=False}
   * does before a run; unlike the SDK, which only touches the root DAG's tasks, the tasks of every
   * sub-DAG (conditions, loops, nested pipelines) too, so "no cache" means no task of the run is
   * served from cache. The result is a new package (new content and digest: a version uploaded
   * from it never passes for the pipeline as compiled); this one is unchanged.
   */
  public PipelinePackage withCachingDisabled() {
    ObjectNode spec = pipelineSpec.deepCopy();
    disableCaching(spec.path("root"));
    spec.path("components").forEach(PipelinePackage::disableCaching);
    List<JsonNode> docs = new ArrayList<>();
    docs.add(spec);
    if (platformSpec != null) {
      docs.add(platformSpec);
    }
    StringBuilder yaml = new StringBuilder();
    YAMLMapper mapper = new YAMLMapper();
    try {
      for (JsonNode doc : docs) {
        yaml.append(mapper.writeValueAsString(doc)); // each document starts with its own "---"
      }
    } catch (IOException e) {
      throw new IllegalStateException("a tree read from YAML always writes back", e);
    }
    return new PipelinePackage(fileName, yaml.toString().getBytes(StandardCharsets.UTF_8), pipelineName, spec,
        platformSpec, canonicalSha256(docs));
  }

  private static void disableCaching(JsonNode component) {
    component.path("dag").path("tasks").forEach(task -> {
      if (task instanceof ObjectNode t) {
        JsonNode options = t.get("cachingOptions");
        ObjectNode caching = options instanceof ObjectNode o ? o : t.putObject("cachingOptions");
        caching.put("enableCache", false);
      }
    });
  }

  /** The first 8 hex digits of {@link #sha256()}. */
  public String hash8() {
    return sha256.substring(0, 8);
  }

  static String canonicalSha256(List<JsonNode> docs) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      for (JsonNode doc : docs) {
        Object plain = sortedPlain(SORTED.convertValue(doc, Object.class));
        digest.update(SORTED.writeValueAsString(plain).getBytes(StandardCharsets.UTF_8));
        digest.update((byte) '\n');
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException | IOException e) {
      throw new IllegalStateException("SHA-256 of JSON always works", e);
    }
  }

  @SuppressWarnings("unchecked")
  private static Object sortedPlain(Object value) {
    if (value instanceof Map<?, ?> map) {
      TreeMap<String, Object> sorted = new TreeMap<>();
      ((Map<String, Object>) map).forEach((k, v) -> sorted.put(k, sortedPlain(v)));
      return sorted;
    }
    if (value instanceof List<?> list) {
      return list.stream().map(PipelinePackage::sortedPlain).toList();
    }
    return value;
  }
}

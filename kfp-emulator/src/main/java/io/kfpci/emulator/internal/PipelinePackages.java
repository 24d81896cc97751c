package io.kfpci.emulator.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.DynamicMessage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Reads an uploaded pipeline package the way the 2.17 server does (server/util.go ReadPipelineFile,
 * template/template.go New, template/v2_template.go): YAML or JSON chosen by the file name, zip and
 * tar.gz by their magic bytes (pipeline.yaml preferred, else the first file); then each YAML document
 * strictly protojson-parsed, the first that is a PipelineSpec with a name and a root taken as the
 * spec and a PlatformSpec with a kubernetes config as the platform spec.
 */
public final class PipelinePackages {
  public static final int MAX_FILE_BYTES = 32 << 20;
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Pattern NAME = Pattern.compile(
      "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$");

  /** The accepted spec: the PipelineSpec and platform spec documents as JSON. */
  public record Parsed(ObjectNode spec, Optional<ObjectNode> platform) {
    /** As GetPipelineVersion prints pipeline_spec: the spec, or the wrapper when a platform spec exists. */
    public JsonNode rendered() {
      if (platform.isEmpty()) {
        return spec.deepCopy();
      }
      ObjectNode wrapper = Json.object();
      wrapper.set("pipeline_spec", spec.deepCopy());
      wrapper.set("platform_spec", platform.get().deepCopy());
      return wrapper;
    }
  }

  /** Why a package was refused: the file could not be read, or its template is not a pipeline. */
  public static final class Refused extends Exception {
    private static final long serialVersionUID = 1L;
    private final boolean unreadable;

    Refused(String message, boolean unreadable) {
      super(message);
      this.unreadable = unreadable;
    }

    /** True for ReadPipelineFile's failures (the server answers them with http.Error, text/plain). */
    public boolean unreadable() {
      return unreadable;
    }
  }

  private PipelinePackages() {}

  /** The pipeline file inside an upload (ReadPipelineFile). */
  public static byte[] read(String filename, byte[] content) throws Refused {
    if (content.length > MAX_FILE_BYTES) {
      throw new Refused("File size too large. Maximum supported size: 32 MiB", true);
    }
    String lower = filename.toLowerCase(Locale.ROOT);
    if (lower.endsWith(".yaml") || lower.endsWith(".yml") || lower.endsWith(".json")) {
      return content;
    }
    try {
      if (content.length >= 2 && content[0] == 'P' && content[1] == 'K') {
        return unzip(content);
      }
      if (content.length >= 2 && (content[0] & 0xff) == 0x1f && (content[1] & 0xff) == 0x8b) {
        return untar(content);
      }
    } catch (IOException e) {
      throw new Refused("Failed to read the archive: " + e.getMessage(), true);
    }
    throw new Refused("Unexpected pipeline file format. Support .zip, .tar.gz, .json or YAML", true);
  }

  private static byte[] unzip(byte[] content) throws IOException, Refused {
    byte[] first = null;
    try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(content))) {
      ZipEntry entry;
      while ((entry = zip.getNextEntry()) != null) {
        if (entry.isDirectory()) {
          continue;
        }
        byte[] bytes = bounded(zip);
        if (entry.getName().equals("pipeline.yaml") || entry.getName().endsWith("/pipeline.yaml")) {
          return bytes;
        }
        if (first == null) {
          first = bytes;
        }
      }
    }
    if (first == null) {
      throw new Refused("Not a valid zip file", true);
    }
    return first;
  }

  private static byte[] untar(byte[] content) throws IOException, Refused {
    try (TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(new ByteArrayInputStream(content)))) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        if (!entry.isDirectory() && (entry.getName().equals("pipeline.yaml") || entry.getName().endsWith("/pipeline.yaml"))) {
          return bounded(tar);
        }
      }
    }
    throw new Refused("Not a valid tarball file", true);
  }

  private static byte[] bounded(InputStream in) throws IOException, Refused {
    byte[] bytes = in.readNBytes(MAX_FILE_BYTES + 1);
    if (bytes.length > MAX_FILE_BYTES) {
      throw new Refused("File size too large. Maximum supported size: 32 MiB", true);
    }
    return bytes;
  }

  /** The template in a pipeline file (template.New with a V2 spec). */
  public static Parsed parse(byte[] file) throws Refused {
    List<JsonNode> documents = new ArrayList<>();
    try (MappingIterator<JsonNode> docs = YAML.readerFor(JsonNode.class).readValues(file)) {
      while (docs.hasNextValue()) {
        JsonNode doc = docs.nextValue();
        if (doc != null && !doc.isNull() && !doc.isMissingNode()) {
          documents.add(doc);
        }
      }
    } catch (IOException | RuntimeException e) {
      throw new Refused("unknown template format", false);
    }
    ObjectNode spec = null;
    ObjectNode platform = null;
    for (JsonNode doc : documents) {
      if (isPipelineSpec(doc)) {
        if (spec != null) {
          throw new Refused("multiple pipeline specs provided", false);
        }
        spec = (ObjectNode) doc;
      } else if (isPlatformSpec(doc)) {
        platform = (ObjectNode) doc;
      } else if (spec == null) {
        throw new Refused("unknown template format", false);
      }
    }
    if (spec == null) {
      throw new Refused("unknown template format", false);
    }
    return validated(spec, Optional.ofNullable(platform));
  }

  /** An inline run spec: the PipelineSpec itself, or {"pipeline_spec":…, "platform_spec":…}. */
  public static Parsed inline(JsonNode pipelineSpec) throws Refused {
    if (pipelineSpec.has("pipeline_spec") && pipelineSpec.get("pipeline_spec").isObject()) {
      JsonNode platform = pipelineSpec.get("platform_spec");
      if (!isPipelineSpec(pipelineSpec.get("pipeline_spec"))) {
        throw new Refused("no pipeline spec is provided", false);
      }
      return validated((ObjectNode) pipelineSpec.get("pipeline_spec"),
          platform != null && platform.isObject() ? Optional.of((ObjectNode) platform) : Optional.empty());
    }
    if (!isPipelineSpec(pipelineSpec)) {
      throw new Refused("unknown template format", false);
    }
    return validated((ObjectNode) pipelineSpec, Optional.empty());
  }

  private static Parsed validated(ObjectNode spec, Optional<ObjectNode> platform) throws Refused {
    String version = spec.path("schemaVersion").asText(spec.path("schema_version").asText(""));
    if (!version.equals("2.1.0")) {
      throw new Refused("KFP only supports schema version 2.1.0, but the pipeline spec has version " + version, false);
    }
    String name = spec.path("pipelineInfo").path("name").asText(spec.path("pipeline_info").path("name").asText(""));
    if (!NAME.matcher(name).matches()) {
      throw new Refused("pipeline's name " + name + " is invalid. It must be lowercase alphanumeric characters"
          + " or '-', and start and end with an alphanumeric character", false);
    }
    return new Parsed(spec, platform);
  }

  private static boolean isPipelineSpec(JsonNode doc) {
    if (!doc.isObject()) {
      return false;
    }
    DynamicMessage spec;
    try {
      spec = IrDescriptors.parse(IrDescriptors.PIPELINE_SPEC, Json.MAPPER.writeValueAsString(doc));
    } catch (IOException | RuntimeException e) {
      return false;
    }
    FieldDescriptor info = IrDescriptors.PIPELINE_SPEC.findFieldByName("pipeline_info");
    FieldDescriptor root = IrDescriptors.PIPELINE_SPEC.findFieldByName("root");
    DynamicMessage pipelineInfo = (DynamicMessage) spec.getField(info);
    Object name = pipelineInfo.getField(pipelineInfo.getDescriptorForType().findFieldByName("name"));
    return !name.toString().isEmpty() && spec.hasField(root);
  }

  @SuppressWarnings("unchecked")
  private static boolean isPlatformSpec(JsonNode doc) {
    if (!doc.isObject()) {
      return false;
    }
    DynamicMessage platform;
    try {
      platform = IrDescriptors.parse(IrDescriptors.PLATFORM_SPEC, Json.MAPPER.writeValueAsString(doc));
    } catch (IOException | RuntimeException e) {
      return false;
    }
    FieldDescriptor platforms = IrDescriptors.PLATFORM_SPEC.findFieldByName("platforms");
    for (Object entry : (java.util.List<Object>) platform.getField(platforms)) {
      DynamicMessage mapEntry = (DynamicMessage) entry;
      if ("kubernetes".equals(mapEntry.getField(mapEntry.getDescriptorForType().findFieldByName("key")))) {
        return true;
      }
    }
    return false;
  }
}

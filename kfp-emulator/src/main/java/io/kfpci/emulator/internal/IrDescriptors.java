package io.kfpci.emulator.internal;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/**
 * The IR's PipelineSpec and PlatformSpec message types, from the descriptor set the build compiles
 * out of kfp-core's .proto files (the KFP pipeline_spec.proto field names and numbers). Parsing into
 * a {@link DynamicMessage} with protobuf's JsonFormat is as strict as the server's protojson:
 * an unknown field anywhere outside a Struct fails. Thread-safe and immutable once loaded.
 */
final class IrDescriptors {
  private static final String RESOURCE = "pipeline_spec.desc";
  static final Descriptor PIPELINE_SPEC;
  static final Descriptor PLATFORM_SPEC;

  static {
    Map<String, FileDescriptorProto> protos = new HashMap<>();
    try (InputStream in = IrDescriptors.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the kfp-emulator jar; rebuild the module");
      }
      for (FileDescriptorProto file : FileDescriptorSet.parseFrom(in).getFileList()) {
        protos.put(file.getName(), file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, FileDescriptor> built = new HashMap<>();
    FileDescriptor spec = protos.keySet().stream().filter(n -> n.endsWith("pipeline_spec.proto")).findFirst()
        .map(n -> build(n, protos, built))
        .orElseThrow(() -> new IllegalStateException(RESOURCE + " holds no pipeline_spec.proto"));
    PIPELINE_SPEC = spec.findMessageTypeByName("PipelineSpec");
    PLATFORM_SPEC = spec.findMessageTypeByName("PlatformSpec");
  }

  private IrDescriptors() {}

  private static FileDescriptor build(String name, Map<String, FileDescriptorProto> protos,
      Map<String, FileDescriptor> built) {
    FileDescriptor done = built.get(name);
    if (done != null) {
      return done;
    }
    FileDescriptorProto proto = protos.get(name);
    if (proto == null) {
      throw new IllegalStateException(RESOURCE + " lacks " + name);
    }
    FileDescriptor[] dependencies = proto.getDependencyList().stream()
        .map(d -> build(d, protos, built)).toArray(FileDescriptor[]::new);
    try {
      FileDescriptor file = FileDescriptor.buildFrom(proto, dependencies);
      built.put(name, file);
      return file;
    } catch (DescriptorValidationException e) {
      throw new IllegalStateException("invalid descriptor " + name + ": " + e.getMessage(), e);
    }
  }

  /** The message parsed strictly from protojson, or an exception naming what was wrong. */
  static DynamicMessage parse(Descriptor type, String json) throws InvalidProtocolBufferException {
    DynamicMessage.Builder builder = DynamicMessage.newBuilder(type);
    JsonFormat.parser().merge(json, builder);
    return builder.build();
  }
}

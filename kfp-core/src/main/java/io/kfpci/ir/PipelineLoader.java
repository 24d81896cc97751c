package io.kfpci.ir;

import io.kfpci.ir.internal.DocumentAssembler;
import io.kfpci.ir.internal.PackageReader;
import io.kfpci.problem.InvalidPipelineException;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Loads KFP pipeline packages the way the KFP API server accepts them: YAML (one or two documents:
 * the pipeline spec, then the platform spec), JSON, or a .zip / .tar.gz holding pipeline.yaml (else
 * the first file). Loading is strict: an unknown field or a value of the wrong type is an error
 * naming the field, its line and the closest known field. Files over {@link #MAX_FILE_BYTES} are
 * refused before parsing. Stateless and thread-safe.
 */
public final class PipelineLoader {
  /** The KFP API server's upload limit (common/const.go MaxFileLength). */
  public static final long MAX_FILE_BYTES = 32L << 20;

  private PipelineLoader() {}

  public static PipelineDocument load(Path file) throws InvalidPipelineException, IOException {
    PackageReader.Entry entry = PackageReader.read(file);
    return DocumentAssembler.assemble(entry);
  }

  /** Loads from memory; {@code name} decides the format when the bytes carry no archive magic. */
  public static PipelineDocument load(String name, byte[] content) throws InvalidPipelineException {
    PackageReader.Entry entry = PackageReader.read(name, content);
    return DocumentAssembler.assemble(entry);
  }
}

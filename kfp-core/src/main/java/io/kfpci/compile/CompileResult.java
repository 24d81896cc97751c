package io.kfpci.compile;

import io.kfpci.ir.PipelineDocument;
import io.kfpci.validate.ValidationReport;
import java.nio.file.Path;

/**
 * A compiled pipeline: the IR file written, the loaded document, and its validation.
 *
 * @param compilerOutput what the compiler printed; for a cache hit, which entry it came from
 * @param fromCache true when the IR came from the {@link CompileCache} and no compiler ran
 */
public record CompileResult(Path output, String function, String kfpVersion, PipelineDocument document,
    ValidationReport validation, String compilerOutput, boolean fromCache) {}

package io.kfpci.compile;

import io.kfpci.ir.PipelineDocument;
import io.kfpci.validate.ValidationReport;
import java.nio.file.Path;

/** A compiled pipeline: the IR file written, the loaded document, and its validation. */
public record CompileResult(Path output, String function, String kfpVersion, PipelineDocument document,
    ValidationReport validation, String compilerOutput) {}

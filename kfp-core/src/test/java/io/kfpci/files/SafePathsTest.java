package io.kfpci.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafePathsTest {
  @TempDir Path base;

  private UnsafePathException refused(String name) {
    UnsafePathException e = catchThrowableOfType(UnsafePathException.class,
        () -> SafePaths.resolveInside(base, name, "output parameter name of component 'comp-a'"));
    assertThat(e).as("'%s' must be refused", name).isNotNull();
    assertThat(e.field()).isEqualTo("output parameter name of component 'comp-a'");
    assertThat(e.name()).isEqualTo(name);
    return e;
  }

  @Test
  void traversalSeparatorsDriveLettersAndControlCharactersAreRefusedWithTheFieldAndReason() {
    assertThat(refused("../../../../tmp/somefile").getMessage()).isEqualTo("output parameter name of component"
        + " 'comp-a' '../../../../tmp/somefile' cannot be used as a file name: it contains '/', a path separator");
    assertThat(refused("/etc/passwd").reason()).isEqualTo("it contains '/', a path separator");
    assertThat(refused("..\\..\\x").reason()).isEqualTo("it contains '\\', a path separator");
    assertThat(refused("..").reason())
        .isEqualTo("a name made only of dots and spaces names the directory itself or its parent");
    assertThat(refused(".").reason())
        .isEqualTo("a name made only of dots and spaces names the directory itself or its parent");
    assertThat(refused(". .").reason())
        .isEqualTo("a name made only of dots and spaces names the directory itself or its parent");
    assertThat(refused("C:").reason()).isEqualTo("it contains ':' (a drive letter or stream name on Windows)");
    assertThat(refused("C:evil").reason()).isEqualTo("it contains ':' (a drive letter or stream name on Windows)");
    assertThat(refused("").reason()).isEqualTo("it is empty");
    UnsafePathException nul = refused("out\0put");
    assertThat(nul.reason()).isEqualTo("it contains the control character \\u0000");
    assertThat(nul.getMessage()).contains("'out\\u0000put'").doesNotContain("\0");
    assertThat(refused("a".repeat(256)).reason()).isEqualTo("it is longer than 255 bytes");
    assertThat(refused("é".repeat(128)).reason()).isEqualTo("it is longer than 255 bytes"); // 256 bytes
  }

  @Test
  void kfpNamesResolveDirectlyInsideTheBase() throws UnsafePathException {
    for (String name : new String[] {"Output", "metrics", "train-model", "pipelinechannel--epochs",
        "comp-train.v2", "résultat", "..hidden", "a..b", "a".repeat(255)}) {
      Path resolved = SafePaths.resolveInside(base, name, "task name");
      assertThat(resolved.getParent()).isEqualTo(base.toAbsolutePath().normalize());
      assertThat(resolved.getFileName().toString()).isEqualTo(name);
    }
  }

  @Test
  void requireInsideAcceptsNestedPathsAndRefusesEscapes() throws UnsafePathException {
    assertThat(SafePaths.requireInside(base, Path.of("loop/for-loop-2[0]/train"), "task directory"))
        .isEqualTo(base.toAbsolutePath().normalize().resolve("loop/for-loop-2[0]/train"));

    UnsafePathException up = catchThrowableOfType(UnsafePathException.class,
        () -> SafePaths.requireInside(base, Path.of("a/../../x"), "task directory"));
    assertThat(up.getMessage()).startsWith("task directory 'a/../../x' cannot be used as a file name: it resolves"
        + " outside ");
    assertThat(catchThrowableOfType(UnsafePathException.class,
        () -> SafePaths.requireInside(base, Path.of("/tmp/x"), "task directory"))).isNotNull();
    assertThat(catchThrowableOfType(UnsafePathException.class,
        () -> SafePaths.requireInside(base, Path.of("a/.."), "task directory"))).isNotNull();
  }
}

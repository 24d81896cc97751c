package io.jenkins.plugins.kfp;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaMember;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.domain.JavaType;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.Location;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The plugin bundles kfp-core, whose libraries (Jackson, protobuf, CEL, Guava) are implementation
 * details: no public or protected member of a public plugin class may mention their types, even
 * as a type argument, so other plugins and Pipeline scripts never depend on them.
 */
class PublicSignaturesTest {
  private static final List<String> THIRD_PARTY = List.of("com.fasterxml.", "com.google.protobuf.", "dev.cel.",
      "com.google.common.", "org.yaml.", "io.fabric8.");

  private static final JavaClasses PLUGIN = new ClassFileImporter()
      .importLocations(Set.of(Location.of(KfpSettings.class.getProtectionDomain().getCodeSource().getLocation())));

  private static Stream<JavaType> signatureTypes(JavaMember member) {
    if (member instanceof JavaField field) {
      return Stream.of(field.getType());
    }
    JavaCodeUnit unit = (JavaCodeUnit) member;
    return Stream.concat(Stream.concat(Stream.of(unit.getReturnType()), unit.getParameterTypes().stream()),
        unit.getThrowsClause().getTypes().stream().map(JavaType.class::cast));
  }

  private static List<String> leaks() {
    List<String> leaks = new ArrayList<>();
    for (JavaClass type : PLUGIN) {
      if (!type.getModifiers().contains(JavaModifier.PUBLIC)) {
        continue;
      }
      for (JavaMember member : type.getMembers()) {
        Set<JavaModifier> modifiers = member.getModifiers();
        if (!(modifiers.contains(JavaModifier.PUBLIC) || modifiers.contains(JavaModifier.PROTECTED))
            || modifiers.contains(JavaModifier.SYNTHETIC)) {
          continue;
        }
        signatureTypes(member).flatMap(t -> t.getAllInvolvedRawTypes().stream())
            .filter(t -> THIRD_PARTY.stream().anyMatch(t.getName()::startsWith))
            .forEach(t -> leaks.add(member.getFullName() + " mentions " + t.getName()));
      }
    }
    return leaks;
  }

  @Test
  void publicMembersMentionNoBundledLibraryTypes() {
    assertThat(PLUGIN.contain("io.jenkins.plugins.kfp.steps.KfpRunStep")).isTrue();
    assertThat(leaks()).isEmpty();
  }
}

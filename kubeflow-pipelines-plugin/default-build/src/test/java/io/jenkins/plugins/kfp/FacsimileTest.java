package io.jenkins.plugins.kfp;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaAccess;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaConstructor;
import com.tngtech.archunit.core.domain.JavaMember;
import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.domain.JavaStaticInitializer;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.Location;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The Jenkins facsimile stays what it claims to be: minimal (every member is used by the plugin's
 * classes: called, read, overridden, set as an annotation element, or inherited as the
 * implementation of an abstract member), behaviourless (every body throws), and traceable (every
 * class names the real file it copies).
 */
class FacsimileTest {
  /** The plugin's main classes and the facsimile, imported together so supertypes resolve. */
  private static final JavaClasses ALL = new ClassFileImporter().importLocations(Set.of(
      Location.of(hudson.FilePath.class.getProtectionDomain().getCodeSource().getLocation()),
      Location.of(KfpSettings.class.getProtectionDomain().getCodeSource().getLocation())));
  private static final JavaClasses PLUGIN = ALL.that(
      com.tngtech.archunit.base.DescribedPredicate.describe("plugin", FacsimileTest::inPlugin));
  private static final JavaClasses FACSIMILE = ALL.that(
      com.tngtech.archunit.base.DescribedPredicate.describe("facsimile", (JavaClass c) -> !inPlugin(c)));

  private static boolean inPlugin(JavaClass type) {
    return type.getPackageName().startsWith("io.jenkins.plugins.kfp");
  }

  private static boolean inFacsimile(JavaClass type) {
    return FACSIMILE.contain(type.getName());
  }

  /** Members that javac adds or that no caller can reach: not part of the copied API. */
  private static boolean checked(JavaMember member) {
    if (member instanceof JavaStaticInitializer || member.getModifiers().contains(JavaModifier.SYNTHETIC)
        || member.getModifiers().contains(JavaModifier.PRIVATE)) {
      return false;
    }
    // A class that declares no constructor gets javac's public no-argument one, as the real class does.
    return !(member instanceof JavaConstructor c && c.getRawParameterTypes().isEmpty());
  }

  private static Set<String> usedMembers() {
    Set<String> used = new HashSet<>();
    for (JavaClass type : PLUGIN) {
      for (JavaAccess<?> access : type.getAccessesFromSelf()) {
        access.getTarget().resolveMember().ifPresent(m -> used.add(m.getFullName()));
      }
      List<JavaClass> supertypes = new ArrayList<>(type.getAllRawSuperclasses());
      supertypes.addAll(type.getAllRawInterfaces());
      for (JavaMethod method : type.getMethods()) {
        String[] params = method.getRawParameterTypes().stream().map(JavaClass::getName).toArray(String[]::new);
        for (JavaClass supertype : supertypes) {
          if (inFacsimile(supertype)) {
            supertype.tryGetMethod(method.getName(), params).ifPresent(m -> used.add(m.getFullName()));
          }
        }
      }
      // A concrete facsimile method that a plugin class inherits as the implementation of an
      // abstract one (SynchronousNonBlockingStepExecution.start() for StepExecution.start()).
      for (JavaClass superclass : type.getAllRawSuperclasses()) {
        if (!inFacsimile(superclass)) {
          continue;
        }
        for (JavaMethod method : superclass.getMethods()) {
          if (method.getModifiers().contains(JavaModifier.ABSTRACT)) {
            continue;
          }
          String[] params = method.getRawParameterTypes().stream().map(JavaClass::getName).toArray(String[]::new);
          Stream.concat(superclass.getAllRawSuperclasses().stream(), superclass.getAllRawInterfaces().stream())
              .flatMap(s -> s.tryGetMethod(method.getName(), params).stream())
              .filter(m -> m.getModifiers().contains(JavaModifier.ABSTRACT))
              .findAny().ifPresent(m -> used.add(method.getFullName()));
        }
      }
      // Annotation elements are used where the plugin writes the annotation.
      for (JavaClass annotation : FACSIMILE) {
        if (annotation.isAnnotation() && type.isAnnotatedWith(annotation.getName())) {
          annotation.getMethods().forEach(m -> used.add(m.getFullName()));
        }
      }
    }
    return used;
  }

  @Test
  void everyFacsimileMemberIsUsedByThePlugin() {
    Set<String> used = usedMembers();
    List<String> unused = new ArrayList<>();
    for (JavaClass type : FACSIMILE) {
      for (JavaMember member : type.getMembers()) {
        if (checked(member) && !used.contains(member.getFullName())) {
          unused.add(member.getFullName());
        }
      }
    }
    assertThat(unused).as("facsimile members the plugin does not use: delete them").isEmpty();
  }

  @Test
  void theCheckSeesThePluginAndTheFacsimile() {
    // Guards the check above against passing because it imported nothing.
    assertThat(FACSIMILE.contain("org.jenkinsci.plugins.workflow.steps.StepExecution")).isTrue();
    assertThat(PLUGIN.contain("io.jenkins.plugins.kfp.steps.KfpRunExecution")).isTrue();
    assertThat(usedMembers()).contains(
        "org.jenkinsci.plugins.workflow.steps.StepExecution.onResume()",
        "org.jenkinsci.plugins.workflow.steps.SynchronousNonBlockingStepExecution.start()",
        "jenkins.util.Timer.get()",
        "org.jenkinsci.Symbol.value()",
        "hudson.model.TaskListener.NULL");
  }

  @Test
  void everyFacsimileBodyThrows() {
    List<String> withBehaviour = new ArrayList<>();
    for (JavaClass type : FACSIMILE) {
      for (JavaCodeUnit unit : type.getCodeUnits()) {
        if (!checked(unit) || unit.getModifiers().contains(JavaModifier.ABSTRACT)) {
          continue;
        }
        boolean throwsUnsupported = unit.getConstructorCallsFromSelf().stream()
            .anyMatch(call -> call.getTargetOwner().isEquivalentTo(UnsupportedOperationException.class));
        if (!throwsUnsupported) {
          withBehaviour.add(unit.getFullName());
        }
      }
    }
    assertThat(withBehaviour).isEmpty();
  }

  @Test
  void everyFacsimileClassNamesTheRealFileItCopies() throws Exception {
    Path sources = PluginClasses.repoRoot().resolve("jenkins-facsimile/src/main/java");
    List<Path> files;
    try (Stream<Path> walk = Files.walk(sources)) {
      files = walk.filter(p -> p.toString().endsWith(".java")).toList();
    }
    assertThat(files).hasSizeGreaterThan(30);
    for (Path file : files) {
      String relative = sources.relativize(file).toString().replace('\\', '/');
      String first = Files.readAllLines(file).get(0);
      assertThat(first).as(relative)
          .matches("// Facsimile of jenkinsci/[a-z0-9-]+:[A-Za-z0-9_/.-]+\\.java")
          .endsWith("/" + relative);
    }
  }
}

package io.kfpci.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

/**
 * kfp-core must run outside Jenkins (CLI, other CIs, tests), so no class of it may depend on
 * Jenkins, Hudson or Stapler types. The plugin module is the only place for them.
 */
class JenkinsFreeCoreTest {
  private static final JavaClasses CORE = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("io.kfpci");

  @Test
  void coreHasNoJenkinsDependencies() {
    ArchRule rule = noClasses().should().dependOnClassesThat()
        .resideInAnyPackage("hudson..", "jenkins..", "org.jenkinsci..", "org.kohsuke.stapler..")
        .because("kfp-core is the Jenkins-free core; Jenkins types belong in kubeflow-pipelines-plugin");
    rule.check(CORE);
  }

  @Test
  void coreClassesAreImported() {
    // Guards the rule above against passing vacuously when the package name changes.
    org.assertj.core.api.Assertions.assertThat(CORE.contain("io.kfpci.validate.Validator")).isTrue();
  }
}

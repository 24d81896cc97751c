package io.jenkins.plugins.kfp;

import io.jenkins.plugins.kfp.config.KfpEndpoint;
import io.jenkins.plugins.kfp.config.KubeflowPipelinesConfiguration;
import io.jenkins.plugins.kfp.freestyle.LocalPipelineBuilder;
import io.jenkins.plugins.kfp.freestyle.QualityGateBuilder;
import io.jenkins.plugins.kfp.steps.KfpAgentPodStep;
import io.jenkins.plugins.kfp.steps.KfpGateStep;
import io.jenkins.plugins.kfp.steps.KfpCompileStep;
import io.jenkins.plugins.kfp.steps.KfpDeployStep;
import io.jenkins.plugins.kfp.steps.KfpParameter;
import io.jenkins.plugins.kfp.steps.KfpRunStep;
import io.jenkins.plugins.kfp.steps.KfpScheduleStep;
import io.jenkins.plugins.kfp.steps.KfpUploadStep;
import io.jenkins.plugins.kfp.steps.KfpValidateStep;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * The plugin's configurable classes and their options, read by reflection the way Jenkins' data
 * binding reads them ({@code @DataBoundConstructor} parameters, then {@code @DataBoundSetter}s),
 * without instantiating anything (the facsimile has no behaviour).
 */
final class PluginClasses {
  private PluginClasses() {}

  /** Pipeline steps by function name, then the freestyle builder and the configuration by symbol. */
  static Map<String, Class<?>> stepsAndBuilders() {
    Map<String, Class<?>> out = new LinkedHashMap<>();
    out.put(KfpCompileStep.FUNCTION_NAME, KfpCompileStep.class);
    out.put(KfpValidateStep.FUNCTION_NAME, KfpValidateStep.class);
    out.put(KfpRunStep.FUNCTION_NAME, KfpRunStep.class);
    out.put(symbol(LocalPipelineBuilder.DescriptorImpl.class), LocalPipelineBuilder.class);
    out.put(KfpGateStep.FUNCTION_NAME, KfpGateStep.class);
    out.put(symbol(QualityGateBuilder.DescriptorImpl.class), QualityGateBuilder.class);
    out.put(KfpAgentPodStep.FUNCTION_NAME, KfpAgentPodStep.class);
    out.put(KfpUploadStep.FUNCTION_NAME, KfpUploadStep.class);
    out.put(KfpScheduleStep.FUNCTION_NAME, KfpScheduleStep.class);
    out.put(KfpDeployStep.FUNCTION_NAME, KfpDeployStep.class);
    return out;
  }

  static List<Class<?>> configurables() {
    List<Class<?>> out = new ArrayList<>(stepsAndBuilders().values());
    out.add(KubeflowPipelinesConfiguration.class);
    out.add(KfpEndpoint.class);
    out.add(KfpParameter.class);
    return out;
  }

  static String symbol(Class<?> type) {
    return type.getAnnotation(Symbol.class).value()[0];
  }

  /** Required options (constructor parameters), in order. */
  static List<String> required(Class<?> type) {
    for (Constructor<?> constructor : type.getConstructors()) {
      if (constructor.isAnnotationPresent(DataBoundConstructor.class)) {
        return Arrays.stream(constructor.getParameters()).map(PluginClasses::name).toList();
      }
    }
    return List.of();
  }

  /** Optional options (data-bound setters), sorted. */
  static List<String> optional(Class<?> type) {
    List<String> out = new ArrayList<>();
    for (Method method : type.getMethods()) {
      if (method.isAnnotationPresent(DataBoundSetter.class) && method.getName().startsWith("set")) {
        String property = method.getName().substring(3);
        out.add(property.substring(0, 1).toLowerCase(Locale.ROOT) + property.substring(1));
      }
    }
    out.sort(null);
    return out;
  }

  static List<String> options(Class<?> type) {
    List<String> out = new ArrayList<>(required(type));
    out.addAll(optional(type));
    return out;
  }

  private static String name(Parameter parameter) {
    if (!parameter.isNamePresent()) {
      throw new IllegalStateException("compile with -parameters: " + parameter);
    }
    return parameter.getName();
  }

  static Path repoRoot() {
    String configured = System.getProperty("kfpci.repo.root");
    Path dir = configured != null ? Path.of(configured) : Path.of("").toAbsolutePath();
    while (dir != null && !Files.isRegularFile(dir.resolve("mvnw"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("cannot find the repository root (no mvnw above " + Path.of("").toAbsolutePath() + ")");
    }
    return dir;
  }
}

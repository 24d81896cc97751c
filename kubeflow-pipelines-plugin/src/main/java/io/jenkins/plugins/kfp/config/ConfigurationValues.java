package io.jenkins.plugins.kfp.config;

import io.jenkins.plugins.kfp.Messages;
import io.kfpci.compile.CompileRequest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One whole candidate of the global configuration, and its rules. The form and Configuration as
 * Code both build a candidate and check all of it before any of it is stored or saved, so a
 * rejected configuration leaves the saved one as it was. Immutable and Jenkins-free, so the
 * default build tests the rules.
 *
 * @param endpoints in form order; names must be unique
 */
public record ConfigurationValues(String kfpVersion, String pythonExecutable, String pipelineRoot,
    String cacheDirectory, List<KfpEndpoint> endpoints) {

  /** A rule a candidate breaks: the form field it belongs to and what to tell the user. */
  public record Problem(String field, String message) {}

  public ConfigurationValues {
    kfpVersion = clean(kfpVersion);
    pythonExecutable = clean(pythonExecutable);
    pipelineRoot = clean(pipelineRoot);
    cacheDirectory = clean(cacheDirectory);
    endpoints = endpoints == null ? List.of() : List.copyOf(endpoints);
  }

  public ConfigurationValues withKfpVersion(String value) {
    return new ConfigurationValues(value, pythonExecutable, pipelineRoot, cacheDirectory, endpoints);
  }

  public ConfigurationValues withPythonExecutable(String value) {
    return new ConfigurationValues(kfpVersion, value, pipelineRoot, cacheDirectory, endpoints);
  }

  public ConfigurationValues withPipelineRoot(String value) {
    return new ConfigurationValues(kfpVersion, pythonExecutable, value, cacheDirectory, endpoints);
  }

  public ConfigurationValues withCacheDirectory(String value) {
    return new ConfigurationValues(kfpVersion, pythonExecutable, pipelineRoot, value, endpoints);
  }

  public ConfigurationValues withEndpoints(List<KfpEndpoint> value) {
    return new ConfigurationValues(kfpVersion, pythonExecutable, pipelineRoot, cacheDirectory, value);
  }

  /** Every rule this candidate breaks, in form order; empty when it may be saved. */
  public List<Problem> problems() {
    List<Problem> out = new ArrayList<>();
    String version = kfpVersionProblem(kfpVersion);
    if (version != null) {
      out.add(new Problem("kfpVersion", version));
    }
    String root = pipelineRootProblem(pipelineRoot);
    if (root != null) {
      out.add(new Problem("pipelineRoot", root));
    }
    Set<String> names = new HashSet<>();
    for (KfpEndpoint endpoint : endpoints) {
      String name = nameProblem(endpoint.getName());
      if (name != null) {
        out.add(new Problem("endpoints", name));
      }
      String url = KfpEndpoint.urlProblem(endpoint.getUrl());
      if (url != null) {
        out.add(new Problem("endpoints", url));
      }
      if (!endpoint.getName().isEmpty() && !names.add(endpoint.getName())) {
        out.add(new Problem("endpoints", Messages.KubeflowPipelinesConfiguration_DuplicateEndpoint(endpoint.getName())));
      }
    }
    return out;
  }

  /**
   * Fails with the problems this candidate has that {@code before} had not, one per line. One
   * setter (Configuration as Code sets one value at a time) may not add a problem, but a
   * configuration saved with one can still be repaired one value at a time.
   */
  public ConfigurationValues checkedAgainst(ConfigurationValues before) {
    List<Problem> added = new ArrayList<>(problems());
    added.removeAll(before.problems());
    if (!added.isEmpty()) {
      throw new IllegalArgumentException(String.join("\n", added.stream().map(Problem::message).toList()));
    }
    return this;
  }

  /** Why a kfp version cannot be used, or null; blank means the pinned default. */
  static String kfpVersionProblem(String value) {
    String version = clean(value);
    if (version.isEmpty()) {
      return null;
    }
    try {
      // The compiler's own check, so the configuration and a build reject the same strings.
      CompileRequest.builder(Path.of("pipeline.py")).kfpVersion(version).build();
      return null;
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
  }

  static String pipelineRootProblem(String value) {
    return clean(value).contains("..") ? Messages.KubeflowPipelinesConfiguration_PipelineRootEscapes() : null;
  }

  static String nameProblem(String value) {
    String name = clean(value);
    if (name.isEmpty()) {
      return Messages.KfpEndpoint_NameRequired();
    }
    return name.matches("[A-Za-z0-9][A-Za-z0-9._-]*") ? null : Messages.KfpEndpoint_NameInvalid(name);
  }

  static String clean(String value) {
    return value == null ? "" : value.strip();
  }
}

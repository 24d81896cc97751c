package io.jenkins.plugins.kfp.config;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.ExtensionList;
import hudson.util.FormValidation;
import io.jenkins.plugins.kfp.KfpSettings;
import io.jenkins.plugins.kfp.Messages;
import io.kfpci.compile.CompileRequest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import jenkins.model.GlobalConfiguration;
import jenkins.model.Jenkins;
import net.sf.json.JSONObject;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.StaplerRequest2;
import org.kohsuke.stapler.verb.POST;

/**
 * Manage Jenkins → System → Kubeflow Pipelines: the defaults every step starts from. Each setter
 * saves, so Configuration as Code ({@code unclassified: kubeflowPipelines: ...}) and the form
 * store the same way. Blank values mean kfp-core's defaults on each agent.
 */
@Extension
@Symbol("kubeflowPipelines")
public class KubeflowPipelinesConfiguration extends GlobalConfiguration {
  private String kfpVersion = "";
  private String pythonExecutable = "";
  private String pipelineRoot = "";
  private String cacheDirectory = "";
  private List<KfpEndpoint> endpoints = new ArrayList<>();

  public KubeflowPipelinesConfiguration() {
    load();
  }

  /** The one instance Jenkins holds. */
  public static KubeflowPipelinesConfiguration get() {
    return ExtensionList.lookupSingleton(KubeflowPipelinesConfiguration.class);
  }

  /** A snapshot of the defaults for work scheduled now. */
  public KfpSettings settings() {
    return new KfpSettings(kfpVersion, pythonExecutable, cacheDirectory, pipelineRoot);
  }

  public String getKfpVersion() {
    return kfpVersion;
  }

  @DataBoundSetter
  public void setKfpVersion(String kfpVersion) {
    this.kfpVersion = clean(kfpVersion);
    save();
  }

  public String getPythonExecutable() {
    return pythonExecutable;
  }

  @DataBoundSetter
  public void setPythonExecutable(String pythonExecutable) {
    this.pythonExecutable = clean(pythonExecutable);
    save();
  }

  public String getPipelineRoot() {
    return pipelineRoot;
  }

  @DataBoundSetter
  public void setPipelineRoot(String pipelineRoot) {
    this.pipelineRoot = clean(pipelineRoot);
    save();
  }

  public String getCacheDirectory() {
    return cacheDirectory;
  }

  @DataBoundSetter
  public void setCacheDirectory(String cacheDirectory) {
    this.cacheDirectory = clean(cacheDirectory);
    save();
  }

  public List<KfpEndpoint> getEndpoints() {
    return List.copyOf(endpoints);
  }

  @DataBoundSetter
  public void setEndpoints(List<KfpEndpoint> endpoints) {
    this.endpoints = endpoints == null ? new ArrayList<>() : new ArrayList<>(endpoints);
    save();
  }

  /** The endpoint called {@code name}, or null. */
  public KfpEndpoint endpoint(String name) {
    return endpoints.stream().filter(e -> e.getName().equals(name)).findFirst().orElse(null);
  }

  @Override
  public boolean configure(StaplerRequest2 req, JSONObject json) throws FormException {
    // A form without endpoint rows binds nothing for them; start from none so removing the last one sticks.
    this.endpoints = new ArrayList<>();
    req.bindJSON(this, json);
    Set<String> names = new HashSet<>();
    for (KfpEndpoint endpoint : endpoints) {
      if (!names.add(endpoint.getName())) {
        throw new FormException(Messages.KubeflowPipelinesConfiguration_DuplicateEndpoint(endpoint.getName()), "endpoints");
      }
    }
    return true;
  }

  @POST
  public FormValidation doCheckKfpVersion(@QueryParameter String value) {
    Jenkins.get().checkPermission(Jenkins.ADMINISTER);
    String version = clean(value);
    if (version.isEmpty()) {
      return FormValidation.ok(Messages.KubeflowPipelinesConfiguration_DefaultKfpVersion(settings().effectiveKfpVersion()));
    }
    try {
      // The compiler's own check, so the form and a build reject the same strings.
      CompileRequest.builder(Path.of("pipeline.py")).kfpVersion(version).build();
      return FormValidation.ok();
    } catch (IllegalArgumentException e) {
      return FormValidation.error(e.getMessage());
    }
  }

  @POST
  public FormValidation doCheckPipelineRoot(@QueryParameter String value) {
    Jenkins.get().checkPermission(Jenkins.ADMINISTER);
    String root = clean(value);
    if (root.contains("..")) {
      return FormValidation.error(Messages.KubeflowPipelinesConfiguration_PipelineRootEscapes());
    }
    return root.isEmpty() ? FormValidation.ok(Messages.KubeflowPipelinesConfiguration_DefaultPipelineRoot(
        KfpSettings.DEFAULT_PIPELINE_ROOT)) : FormValidation.ok();
  }

  @NonNull
  @Override
  public String getDisplayName() {
    return Messages.KubeflowPipelinesConfiguration_DisplayName();
  }

  private static String clean(String value) {
    return value == null ? "" : value.strip();
  }
}

package io.jenkins.plugins.kfp.config;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.ExtensionList;
import hudson.util.FormValidation;
import io.jenkins.plugins.kfp.KfpSettings;
import io.jenkins.plugins.kfp.Messages;
import io.jenkins.plugins.kfp.internal.PortForwards;
import java.util.ArrayList;
import java.util.List;
import jenkins.model.GlobalConfiguration;
import jenkins.model.Jenkins;
import net.sf.json.JSONObject;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.StaplerRequest2;
import org.kohsuke.stapler.verb.POST;

/**
 * Manage Jenkins → System → Kubeflow Pipelines: the defaults every step starts from. Blank values
 * mean kfp-core's defaults on each agent.
 *
 * <p>Nothing invalid is ever stored or saved. The form binds into a pending candidate
 * ({@link ConfigurationValues}) that is checked whole before it replaces the stored values and is
 * saved once; Configuration as Code ({@code unclassified: kubeflowPipelines: ...}) calls the
 * setters one by one, and each checks the whole candidate it would make before storing and saving
 * it (refusing any problem the stored values did not have), so a duplicate endpoint name fails the
 * YAML instead of being persisted.
 */
@Extension
@Symbol("kubeflowPipelines")
public class KubeflowPipelinesConfiguration extends GlobalConfiguration {
  private String kfpVersion = "";
  private String pythonExecutable = "";
  private String pipelineRoot = "";
  private String cacheDirectory = "";
  private List<KfpEndpoint> endpoints = new ArrayList<>();
  /** While the form binds: where the setters write instead of the stored values. */
  private transient ConfigurationValues pending;

  public KubeflowPipelinesConfiguration() {
    load();
  }

  /** The one instance Jenkins holds. */
  public static KubeflowPipelinesConfiguration get() {
    return ExtensionList.lookupSingleton(KubeflowPipelinesConfiguration.class);
  }

  /** A snapshot of the defaults for work scheduled now. */
  public synchronized KfpSettings settings() {
    return new KfpSettings(kfpVersion, pythonExecutable, cacheDirectory, pipelineRoot);
  }

  public synchronized String getKfpVersion() {
    return kfpVersion;
  }

  @DataBoundSetter
  public synchronized void setKfpVersion(String kfpVersion) {
    apply(current().withKfpVersion(kfpVersion));
  }

  public synchronized String getPythonExecutable() {
    return pythonExecutable;
  }

  @DataBoundSetter
  public synchronized void setPythonExecutable(String pythonExecutable) {
    apply(current().withPythonExecutable(pythonExecutable));
  }

  public synchronized String getPipelineRoot() {
    return pipelineRoot;
  }

  @DataBoundSetter
  public synchronized void setPipelineRoot(String pipelineRoot) {
    apply(current().withPipelineRoot(pipelineRoot));
  }

  public synchronized String getCacheDirectory() {
    return cacheDirectory;
  }

  @DataBoundSetter
  public synchronized void setCacheDirectory(String cacheDirectory) {
    apply(current().withCacheDirectory(cacheDirectory));
  }

  public synchronized List<KfpEndpoint> getEndpoints() {
    return List.copyOf(endpoints);
  }

  @DataBoundSetter
  public synchronized void setEndpoints(List<KfpEndpoint> endpoints) {
    apply(current().withEndpoints(endpoints));
  }

  /** The endpoint called {@code name}, or null. */
  public synchronized KfpEndpoint endpoint(String name) {
    return endpoints.stream().filter(e -> e.getName().equals(name)).findFirst().orElse(null);
  }

  /** The stored values, or the form's pending candidate while it binds. */
  private ConfigurationValues current() {
    return pending != null ? pending
        : new ConfigurationValues(kfpVersion, pythonExecutable, pipelineRoot, cacheDirectory, endpoints);
  }

  /** A setter's candidate: pending while the form binds, else checked whole, stored and saved. */
  private void apply(ConfigurationValues candidate) {
    if (pending != null) {
      pending = candidate;
      return;
    }
    store(candidate.checkedAgainst(current()));
    save();
  }

  private void store(ConfigurationValues values) {
    kfpVersion = values.kfpVersion();
    pythonExecutable = values.pythonExecutable();
    pipelineRoot = values.pipelineRoot();
    cacheDirectory = values.cacheDirectory();
    endpoints = new ArrayList<>(values.endpoints());
    // An endpoint's cluster, namespace or kubeconfig may have changed: forwards open again when next needed.
    PortForwards.shared().close();
  }

  @Override
  public synchronized boolean configure(StaplerRequest2 req, JSONObject json) throws FormException {
    // A form without endpoint rows binds nothing for them; start from none so removing the last one sticks.
    pending = current().withEndpoints(List.of());
    ConfigurationValues candidate;
    try {
      req.bindJSON(this, json);
      candidate = pending;
    } finally {
      pending = null;
    }
    List<ConfigurationValues.Problem> problems = candidate.problems();
    if (!problems.isEmpty()) {
      throw new FormException(problems.get(0).message(), problems.get(0).field());
    }
    store(candidate);
    save();
    return true;
  }

  @POST
  public FormValidation doCheckKfpVersion(@QueryParameter String value) {
    Jenkins.get().checkPermission(Jenkins.ADMINISTER);
    if (clean(value).isEmpty()) {
      return FormValidation.ok(Messages.KubeflowPipelinesConfiguration_DefaultKfpVersion(settings().effectiveKfpVersion()));
    }
    String problem = ConfigurationValues.kfpVersionProblem(value);
    return problem == null ? FormValidation.ok() : FormValidation.error(problem);
  }

  @POST
  public FormValidation doCheckPipelineRoot(@QueryParameter String value) {
    Jenkins.get().checkPermission(Jenkins.ADMINISTER);
    String root = clean(value);
    String problem = ConfigurationValues.pipelineRootProblem(root);
    if (problem != null) {
      return FormValidation.error(problem);
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

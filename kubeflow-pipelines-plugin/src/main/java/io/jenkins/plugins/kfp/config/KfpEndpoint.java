package io.jenkins.plugins.kfp.config;

import com.cloudbees.plugins.credentials.common.StandardListBoxModel;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.model.Describable;
import hudson.model.Descriptor;
import hudson.security.ACL;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.kfp.Messages;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Objects;
import jenkins.model.Jenkins;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * A Kubeflow Pipelines API endpoint that builds may submit runs to: a name to refer to it, the
 * API URL, the id of a secret-text credential holding a bearer token, and a namespace. Only
 * identifiers are stored; the token is resolved when it is used and never persisted or printed.
 * (Runs on endpoints arrive with the remote slice; the shape is final.)
 */
public class KfpEndpoint implements Describable<KfpEndpoint> {
  private final String name;
  private final String url;
  private String credentialsId = "";
  private String namespace = "";
  // What a remote run is observed through (logs, metrics, artifacts); empty means not configured.
  private String mlmdAddress = "";
  private String objectStoreUrl = "";
  private String objectStoreRegion = "us-east-1";
  private String objectStoreBucket = "mlpipeline";
  private String objectStoreCredentialsId = "";
  private String kubeconfigCredentialsId = "";
  private boolean inCluster;

  @DataBoundConstructor
  public KfpEndpoint(String name, String url) {
    this.name = Objects.requireNonNullElse(name, "").strip();
    this.url = Objects.requireNonNullElse(url, "").strip();
  }

  public String getName() {
    return name;
  }

  public String getUrl() {
    return url;
  }

  public String getCredentialsId() {
    return credentialsId;
  }

  @DataBoundSetter
  public void setCredentialsId(String credentialsId) {
    this.credentialsId = Objects.requireNonNullElse(credentialsId, "").strip();
  }

  public String getNamespace() {
    return namespace;
  }

  @DataBoundSetter
  public void setNamespace(String namespace) {
    this.namespace = Objects.requireNonNullElse(namespace, "").strip();
  }

  /** KFP's ML Metadata gRPC service as {@code host:port}, or "" when metrics and artifacts are not read. */
  public String getMlmdAddress() {
    return mlmdAddress;
  }

  @DataBoundSetter
  public void setMlmdAddress(String mlmdAddress) {
    this.mlmdAddress = Objects.requireNonNullElse(mlmdAddress, "").strip();
  }

  /** The S3-compatible store of the deployment's artifacts, or "" when none is configured. */
  public String getObjectStoreUrl() {
    return objectStoreUrl;
  }

  @DataBoundSetter
  public void setObjectStoreUrl(String objectStoreUrl) {
    this.objectStoreUrl = Objects.requireNonNullElse(objectStoreUrl, "").strip();
  }

  public String getObjectStoreRegion() {
    return objectStoreRegion;
  }

  @DataBoundSetter
  public void setObjectStoreRegion(String objectStoreRegion) {
    String value = Objects.requireNonNullElse(objectStoreRegion, "").strip();
    this.objectStoreRegion = value.isEmpty() ? "us-east-1" : value;
  }

  public String getObjectStoreBucket() {
    return objectStoreBucket;
  }

  @DataBoundSetter
  public void setObjectStoreBucket(String objectStoreBucket) {
    String value = Objects.requireNonNullElse(objectStoreBucket, "").strip();
    this.objectStoreBucket = value.isEmpty() ? "mlpipeline" : value;
  }

  /** A Username with password credential: the access key and the secret key; "" for anonymous access. */
  public String getObjectStoreCredentialsId() {
    return objectStoreCredentialsId;
  }

  @DataBoundSetter
  public void setObjectStoreCredentialsId(String objectStoreCredentialsId) {
    this.objectStoreCredentialsId = Objects.requireNonNullElse(objectStoreCredentialsId, "").strip();
  }

  /** A Secret file credential holding a kubeconfig for the cluster KFP runs on, or "". */
  public String getKubeconfigCredentialsId() {
    return kubeconfigCredentialsId;
  }

  @DataBoundSetter
  public void setKubeconfigCredentialsId(String kubeconfigCredentialsId) {
    this.kubeconfigCredentialsId = Objects.requireNonNullElse(kubeconfigCredentialsId, "").strip();
  }

  /** Whether the controller reaches the cluster with its own service account (it runs in a pod there). */
  public boolean isInCluster() {
    return inCluster;
  }

  @DataBoundSetter
  public void setInCluster(boolean inCluster) {
    this.inCluster = inCluster;
  }

  /** Why a URL cannot be a KFP endpoint, or null when it can. */
  static String urlProblem(String value) {
    String url = value == null ? "" : value.strip();
    if (url.isEmpty()) {
      return Messages.KfpEndpoint_UrlRequired();
    }
    try {
      URI uri = new URI(url);
      if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
        return Messages.KfpEndpoint_UrlNotHttp(url);
      }
      if (uri.getUserInfo() != null) {
        // A password in the URL would be stored and shown in plain text; credentials are for that.
        return Messages.KfpEndpoint_UrlWithUserInfo();
      }
      return null;
    } catch (URISyntaxException e) {
      return Messages.KfpEndpoint_UrlNotHttp(url);
    }
  }

  /** The form's descriptor; every check needs Overall/Administer, as the global configuration does. */
  @Extension
  @Symbol("kfpEndpoint")
  public static class DescriptorImpl extends Descriptor<KfpEndpoint> {
    @NonNull
    @Override
    public String getDisplayName() {
      return Messages.KfpEndpoint_DisplayName();
    }

    @POST
    public FormValidation doCheckName(@QueryParameter String value) {
      Jenkins.get().checkPermission(Jenkins.ADMINISTER);
      String problem = ConfigurationValues.nameProblem(value);
      return problem == null ? FormValidation.ok() : FormValidation.error(problem);
    }

    @POST
    public FormValidation doCheckUrl(@QueryParameter String value) {
      Jenkins.get().checkPermission(Jenkins.ADMINISTER);
      String problem = urlProblem(value);
      return problem == null ? FormValidation.ok() : FormValidation.error(problem);
    }

    @POST
    public ListBoxModel doFillCredentialsIdItems(@QueryParameter String credentialsId) {
      if (!Jenkins.get().hasPermission(Jenkins.ADMINISTER)) {
        // Listing credentials to anyone else would leak their ids and descriptions.
        return new StandardListBoxModel().includeCurrentValue(credentialsId);
      }
      return new StandardListBoxModel().includeEmptyValue()
          .includeAs(ACL.SYSTEM2, Jenkins.get(), StringCredentials.class)
          .includeCurrentValue(credentialsId);
    }
  }
}

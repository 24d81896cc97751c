package io.jenkins.plugins.kfp.config;

import com.cloudbees.plugins.credentials.common.StandardListBoxModel;
import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.model.Describable;
import hudson.model.Descriptor;
import hudson.security.ACL;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.kfp.Messages;
import io.jenkins.plugins.kfp.internal.ConnectionCheck;
import io.jenkins.plugins.kfp.internal.JenkinsCredentials;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Objects;
import jenkins.model.Jenkins;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.plaincredentials.FileCredentials;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * A Kubeflow Pipelines API endpoint that builds may use by name: how its API is reached (a URL, or
 * a port-forward to the {@code ml-pipeline} service in a namespace of a cluster), how requests
 * prove who sends them (a bearer token, a {@code kubeflow-userid} header, a session cookie, any
 * combination, or nothing), TLS (a CA certificate or, warned about, no verification), the profile
 * namespace and default experiment, and what runs are observed through (ML Metadata, the object
 * store, the cluster for live logs).
 *
 * <p>Only credential ids are stored; the secrets are looked up when used, on the controller, and
 * never persisted or printed ({@code docs/security.md}). The rules over these settings are in
 * {@link ConfigurationValues}, which the form's checks and saving both apply.
 */
public class KfpEndpoint implements Describable<KfpEndpoint> {
  private final String name;
  private final String url;
  // Kubernetes service access instead of the URL: the namespace KFP is installed in; "" for the URL.
  private String kfpNamespace = "";
  private String credentialsId = "";
  private String userId = "";
  private String cookieCredentialsId = "";
  private String namespace = "";
  private String defaultExperiment = "";
  private String caCertificate = "";
  private boolean skipTlsVerify;
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

  /**
   * The namespace KFP is installed in when its API is reached through Kubernetes (a port-forward
   * to {@code svc/ml-pipeline:8888} with the kubeconfig credential or in-cluster), or "" when the
   * endpoint has a URL.
   */
  public String getKfpNamespace() {
    return kfpNamespace;
  }

  @DataBoundSetter
  public void setKfpNamespace(String kfpNamespace) {
    this.kfpNamespace = Objects.requireNonNullElse(kfpNamespace, "").strip();
  }

  /** A Secret text or Secret file credential holding a bearer token, or "". */
  public String getCredentialsId() {
    return credentialsId;
  }

  @DataBoundSetter
  public void setCredentialsId(String credentialsId) {
    this.credentialsId = Objects.requireNonNullElse(credentialsId, "").strip();
  }

  /** The value of the {@code kubeflow-userid} header (an identity, not a secret), or "". */
  public String getUserId() {
    return userId;
  }

  @DataBoundSetter
  public void setUserId(String userId) {
    this.userId = Objects.requireNonNullElse(userId, "").strip();
  }

  /** A Secret text credential holding a raw {@code Cookie} header value (a Dex or oauth2-proxy session), or "". */
  public String getCookieCredentialsId() {
    return cookieCredentialsId;
  }

  @DataBoundSetter
  public void setCookieCredentialsId(String cookieCredentialsId) {
    this.cookieCredentialsId = Objects.requireNonNullElse(cookieCredentialsId, "").strip();
  }

  /** The profile namespace runs and pipelines go to in multi-user mode, or "". */
  public String getNamespace() {
    return namespace;
  }

  @DataBoundSetter
  public void setNamespace(String namespace) {
    this.namespace = Objects.requireNonNullElse(namespace, "").strip();
  }

  /** The experiment runs go to when a step names none, or "" for the step's own default. */
  public String getDefaultExperiment() {
    return defaultExperiment;
  }

  @DataBoundSetter
  public void setDefaultExperiment(String defaultExperiment) {
    this.defaultExperiment = Objects.requireNonNullElse(defaultExperiment, "").strip();
  }

  /**
   * PEM certificates to trust for the API's TLS besides the controller's, or "". A CA certificate
   * is public, so it is a setting (shown and exported), not a credential.
   */
  public String getCaCertificate() {
    return caCertificate;
  }

  @DataBoundSetter
  public void setCaCertificate(String caCertificate) {
    String value = Objects.requireNonNullElse(caCertificate, "").strip();
    this.caCertificate = value.isEmpty() ? "" : value.replace("\r\n", "\n") + "\n";
  }

  /** Whether TLS certificates are not verified (warned about on the form and in every build using it). */
  public boolean isSkipTlsVerify() {
    return skipTlsVerify;
  }

  @DataBoundSetter
  public void setSkipTlsVerify(boolean skipTlsVerify) {
    this.skipTlsVerify = skipTlsVerify;
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

  /**
   * A configuration saved by an older version has no values for the settings added since: XStream
   * leaves them null (or false), so they get their defaults here.
   */
  protected Object readResolve() {
    kfpNamespace = Objects.requireNonNullElse(kfpNamespace, "");
    credentialsId = Objects.requireNonNullElse(credentialsId, "");
    userId = Objects.requireNonNullElse(userId, "");
    cookieCredentialsId = Objects.requireNonNullElse(cookieCredentialsId, "");
    namespace = Objects.requireNonNullElse(namespace, "");
    defaultExperiment = Objects.requireNonNullElse(defaultExperiment, "");
    caCertificate = Objects.requireNonNullElse(caCertificate, "");
    mlmdAddress = Objects.requireNonNullElse(mlmdAddress, "");
    objectStoreUrl = Objects.requireNonNullElse(objectStoreUrl, "");
    objectStoreRegion = Objects.requireNonNullElse(objectStoreRegion, "us-east-1");
    objectStoreBucket = Objects.requireNonNullElse(objectStoreBucket, "mlpipeline");
    objectStoreCredentialsId = Objects.requireNonNullElse(objectStoreCredentialsId, "");
    kubeconfigCredentialsId = Objects.requireNonNullElse(kubeconfigCredentialsId, "");
    return this;
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

  /** The form's descriptor; every check and listing needs Overall/Administer, as the global configuration does. */
  @Extension
  @Symbol("kfpEndpoint")
  public static class DescriptorImpl extends Descriptor<KfpEndpoint> {
    @NonNull
    @Override
    public String getDisplayName() {
      return Messages.KfpEndpoint_DisplayName();
    }

    private static FormValidation of(String problem) {
      return problem == null ? FormValidation.ok() : FormValidation.error(problem);
    }

    @POST
    public FormValidation doCheckName(@QueryParameter String value) {
      Jenkins.get().checkPermission(Jenkins.ADMINISTER);
      return of(ConfigurationValues.nameProblem(value));
    }

    @POST
    public FormValidation doCheckUrl(@QueryParameter String value, @QueryParameter String kfpNamespace) {
      Jenkins.get().checkPermission(Jenkins.ADMINISTER);
      return of(ConfigurationValues.accessProblem(value, kfpNamespace));
    }

    @POST
    public FormValidation doCheckKfpNamespace(@QueryParameter String value, @QueryParameter String kubeconfigCredentialsId,
        @QueryParameter boolean inCluster) {
      Jenkins.get().checkPermission(Jenkins.ADMINISTER);
      return of(ConfigurationValues.kubernetesAccessProblem(value, kubeconfigCredentialsId, inCluster));
    }

    @POST
    public FormValidation doCheckNamespace(@QueryParameter String value) {
      Jenkins.get().checkPermission(Jenkins.ADMINISTER);
      return of(ConfigurationValues.namespaceProblem(value));
    }

    @POST
    public FormValidation doCheckUserId(@QueryParameter String value) {
      Jenkins.get().checkPermission(Jenkins.ADMINISTER);
      return of(ConfigurationValues.userIdProblem(value));
    }

    @POST
    public FormValidation doCheckCaCertificate(@QueryParameter String value, @QueryParameter boolean skipTlsVerify) {
      Jenkins.get().checkPermission(Jenkins.ADMINISTER);
      return of(ConfigurationValues.caCertificateProblem(value, skipTlsVerify));
    }

    @POST
    public FormValidation doCheckSkipTlsVerify(@QueryParameter boolean value) {
      Jenkins.get().checkPermission(Jenkins.ADMINISTER);
      return value ? FormValidation.warning(Messages.KfpEndpoint_SkipTlsVerifyWarning()) : FormValidation.ok();
    }

    @POST
    public FormValidation doCheckMlmdAddress(@QueryParameter String value) {
      Jenkins.get().checkPermission(Jenkins.ADMINISTER);
      return of(ConfigurationValues.mlmdAddressProblem(value));
    }

    @POST
    public FormValidation doCheckObjectStoreUrl(@QueryParameter String value,
        @QueryParameter String objectStoreCredentialsId) {
      Jenkins.get().checkPermission(Jenkins.ADMINISTER);
      return of(ConfigurationValues.objectStoreProblem(value, objectStoreCredentialsId));
    }

    @POST
    public FormValidation doCheckInCluster(@QueryParameter boolean value, @QueryParameter String kubeconfigCredentialsId) {
      Jenkins.get().checkPermission(Jenkins.ADMINISTER);
      return of(ConfigurationValues.clusterProblem(kubeconfigCredentialsId, value));
    }

    @POST
    public ListBoxModel doFillCredentialsIdItems(@QueryParameter String credentialsId) {
      if (!Jenkins.get().hasPermission(Jenkins.ADMINISTER)) {
        // Listing credentials to anyone else would leak their ids and descriptions.
        return new StandardListBoxModel().includeCurrentValue(credentialsId);
      }
      return new StandardListBoxModel().includeEmptyValue()
          .includeAs(ACL.SYSTEM2, Jenkins.get(), StringCredentials.class)
          .includeAs(ACL.SYSTEM2, Jenkins.get(), FileCredentials.class)
          .includeCurrentValue(credentialsId);
    }

    @POST
    public ListBoxModel doFillCookieCredentialsIdItems(@QueryParameter String cookieCredentialsId) {
      if (!Jenkins.get().hasPermission(Jenkins.ADMINISTER)) {
        return new StandardListBoxModel().includeCurrentValue(cookieCredentialsId);
      }
      return new StandardListBoxModel().includeEmptyValue()
          .includeAs(ACL.SYSTEM2, Jenkins.get(), StringCredentials.class)
          .includeCurrentValue(cookieCredentialsId);
    }

    @POST
    public ListBoxModel doFillKubeconfigCredentialsIdItems(@QueryParameter String kubeconfigCredentialsId) {
      if (!Jenkins.get().hasPermission(Jenkins.ADMINISTER)) {
        return new StandardListBoxModel().includeCurrentValue(kubeconfigCredentialsId);
      }
      return new StandardListBoxModel().includeEmptyValue()
          .includeAs(ACL.SYSTEM2, Jenkins.get(), FileCredentials.class)
          .includeCurrentValue(kubeconfigCredentialsId);
    }

    @POST
    public ListBoxModel doFillObjectStoreCredentialsIdItems(@QueryParameter String objectStoreCredentialsId) {
      if (!Jenkins.get().hasPermission(Jenkins.ADMINISTER)) {
        return new StandardListBoxModel().includeCurrentValue(objectStoreCredentialsId);
      }
      return new StandardListBoxModel().includeEmptyValue()
          .includeAs(ACL.SYSTEM2, Jenkins.get(), StandardUsernamePasswordCredentials.class)
          .includeCurrentValue(objectStoreCredentialsId);
    }

    /**
     * "Test connection": the endpoint as the form shows it now (saved or not), its credentials
     * looked up as Jenkins (SYSTEM scope included), one healthz call; says the server's version
     * and whether it runs in multi-user mode, or why it cannot be reached. Never a secret.
     */
    @POST
    public FormValidation doTestConnection(@QueryParameter String name, @QueryParameter String url,
        @QueryParameter String kfpNamespace, @QueryParameter String credentialsId, @QueryParameter String userId,
        @QueryParameter String cookieCredentialsId, @QueryParameter String namespace,
        @QueryParameter String caCertificate, @QueryParameter boolean skipTlsVerify,
        @QueryParameter String kubeconfigCredentialsId, @QueryParameter boolean inCluster)
        throws InterruptedException {
      Jenkins.get().checkPermission(Jenkins.ADMINISTER);
      KfpEndpoint endpoint = new KfpEndpoint(name, url);
      endpoint.setKfpNamespace(kfpNamespace);
      endpoint.setCredentialsId(credentialsId);
      endpoint.setUserId(userId);
      endpoint.setCookieCredentialsId(cookieCredentialsId);
      endpoint.setNamespace(namespace);
      endpoint.setCaCertificate(caCertificate);
      endpoint.setSkipTlsVerify(skipTlsVerify);
      endpoint.setKubeconfigCredentialsId(kubeconfigCredentialsId);
      endpoint.setInCluster(inCluster);
      ConnectionCheck.Outcome outcome = ConnectionCheck.check(endpoint, JenkinsCredentials.administrator());
      return switch (outcome.level()) {
        case OK -> FormValidation.ok(outcome.message());
        case WARNING -> FormValidation.warning(outcome.message());
        case ERROR -> FormValidation.error(outcome.message());
      };
    }
  }
}

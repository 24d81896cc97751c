package io.jenkins.plugins.kfp.internal;

import io.kfpci.KfpException;

/**
 * An endpoint names a credential that cannot be used: there is none of the expected kind with that
 * id visible to the caller, or its content cannot be read. Carries the id and the setting, never a
 * value.
 */
public class CredentialUnavailableException extends KfpException {
  private static final long serialVersionUID = 1L;
  private final String credentialsId;
  private final CredentialLookup.Kind kind;
  private final String setting;

  public CredentialUnavailableException(String message, String credentialsId, CredentialLookup.Kind kind,
      String setting) {
    super(message);
    this.credentialsId = credentialsId;
    this.kind = kind;
    this.setting = setting;
  }

  /**
   * Nothing of {@code kind} called {@code id} is visible to {@code who} ("this build", "Jenkins").
   */
  public static CredentialUnavailableException notFound(String id, CredentialLookup.Kind kind, String setting,
      String who) {
    return new CredentialUnavailableException(setting + " '" + id + "' names no " + kind.display()
        + " credential that " + who + " can use (check its id, kind and scope: builds see GLOBAL credentials and "
        + "their folders', not SYSTEM ones)", id, kind, setting);
  }

  public String credentialsId() {
    return credentialsId;
  }

  public CredentialLookup.Kind kind() {
    return kind;
  }

  /** The endpoint setting that names the credential, e.g. {@code credentialsId}. */
  public String setting() {
    return setting;
  }
}

package io.jenkins.plugins.kfp.internal;

/**
 * Finds the credentials an endpoint names, by the caller's rules: a build's (the job's and its
 * folders' credentials and global ones, as the build may use them; each use tracked), or the
 * administrator's when the configuration form tests a connection. Implemented over Jenkins'
 * {@code CredentialsProvider} in the steps and the form; Jenkins-free so what is done with the
 * values is tested without Jenkins.
 */
public interface CredentialLookup {

  /** The kinds of credential an endpoint refers to, named as the credentials pages name them. */
  enum Kind {
    /** A bearer token: a Secret text's text, or a Secret file's content. */
    TOKEN("Secret text or Secret file"),
    SECRET_TEXT("Secret text"),
    SECRET_FILE("Secret file"),
    USERNAME_PASSWORD("Username with password");

    private final String display;

    Kind(String display) {
      this.display = display;
    }

    public String display() {
      return display;
    }
  }

  /**
   * A credential's secret: the text of a Secret text, the content of a Secret file (UTF-8), or the
   * password of a Username with password with its user name.
   *
   * @param username the user name of a Username with password, else null
   */
  record Found(String username, String secret) {
    @Override
    public String toString() {
      return "Found[username=" + (username == null ? "none" : "set") + ", secret=****]";
    }
  }

  /**
   * The credential {@code id} as {@code kind}.
   *
   * @param setting the endpoint setting that names it, for the message when it cannot be used
   * @throws CredentialUnavailableException when there is none of that kind with that id that the
   *     caller may use, or its content cannot be read
   */
  Found find(String id, Kind kind, String setting) throws CredentialUnavailableException;
}

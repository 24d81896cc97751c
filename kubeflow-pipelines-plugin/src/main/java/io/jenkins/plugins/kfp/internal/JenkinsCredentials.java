package io.jenkins.plugins.kfp.internal;

import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.common.IdCredentials;
import com.cloudbees.plugins.credentials.common.StandardCredentials;
import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;
import hudson.model.Run;
import hudson.security.ACL;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import jenkins.model.Jenkins;
import org.jenkinsci.plugins.plaincredentials.FileCredentials;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;

/**
 * {@link CredentialLookup} over Jenkins' credentials: for a build, as that build may use them
 * ({@code CredentialsProvider.findCredentialById}: the job's folders' and global credentials, not
 * SYSTEM ones, with Authorize Project's rules), each use tracked on the credential; for the
 * configuration form's test, as Jenkins itself (SYSTEM scope included), which only an
 * administrator reaches. Values are read when asked for and kept by no field.
 */
public final class JenkinsCredentials implements CredentialLookup {
  /** A Secret file larger than this is no token or kubeconfig. */
  static final int MAX_FILE_BYTES = 1 << 20;

  private final Run<?, ?> build;

  private JenkinsCredentials(Run<?, ?> build) {
    this.build = build;
  }

  /** Credentials as {@code build} may use them. */
  public static CredentialLookup of(Run<?, ?> build) {
    return new JenkinsCredentials(build);
  }

  /** Credentials as Jenkins itself sees them (the administrator's connection test). */
  public static CredentialLookup administrator() {
    return new JenkinsCredentials(null);
  }

  @Override
  public Found find(String id, Kind kind, String setting) throws CredentialUnavailableException {
    switch (kind) {
      case TOKEN -> {
        StandardCredentials c = lookup(id, StandardCredentials.class);
        if (c instanceof StringCredentials text) {
          return new Found(null, text.getSecret().getPlainText());
        }
        if (c instanceof FileCredentials file) {
          return new Found(null, content(file, id, kind, setting));
        }
        throw notFound(id, kind, setting);
      }
      case SECRET_TEXT -> {
        StringCredentials c = lookup(id, StringCredentials.class);
        if (c == null) {
          throw notFound(id, kind, setting);
        }
        return new Found(null, c.getSecret().getPlainText());
      }
      case SECRET_FILE -> {
        FileCredentials c = lookup(id, FileCredentials.class);
        if (c == null) {
          throw notFound(id, kind, setting);
        }
        return new Found(null, content(c, id, kind, setting));
      }
      case USERNAME_PASSWORD -> {
        StandardUsernamePasswordCredentials c = lookup(id, StandardUsernamePasswordCredentials.class);
        if (c == null) {
          throw notFound(id, kind, setting);
        }
        return new Found(c.getUsername(), c.getPassword().getPlainText());
      }
      default -> throw new IllegalStateException("unknown credential kind " + kind);
    }
  }

  private <C extends IdCredentials> C lookup(String id, Class<C> type) {
    if (build == null) {
      return CredentialsProvider.findCredentialByIdInItemGroup(id, type, Jenkins.get(), ACL.SYSTEM2,
          Collections.emptyList());
    }
    C found = CredentialsProvider.findCredentialById(id, type, build);
    if (found != null) {
      CredentialsProvider.track(build, found);
    }
    return found;
  }

  private CredentialUnavailableException notFound(String id, Kind kind, String setting) {
    return CredentialUnavailableException.notFound(id, kind, setting, build == null ? "Jenkins" : "this build");
  }

  private static String content(FileCredentials file, String id, Kind kind, String setting)
      throws CredentialUnavailableException {
    try (InputStream in = file.getContent()) {
      byte[] bytes = in.readNBytes(MAX_FILE_BYTES + 1);
      if (bytes.length > MAX_FILE_BYTES) {
        throw new CredentialUnavailableException(setting + " '" + id + "' is a Secret file larger than 1 MiB; it "
            + "should hold a token or a kubeconfig", id, kind, setting);
      }
      return new String(bytes, StandardCharsets.UTF_8);
    } catch (IOException e) {
      // The exception's own text is not shown: it could quote the file.
      throw new CredentialUnavailableException(setting + " '" + id + "' is a Secret file that cannot be read ("
          + e.getClass().getSimpleName() + ")", id, kind, setting);
    }
  }
}

package io.jenkins.plugins.kfp.internal;

import hudson.AbortException;
import hudson.FilePath;
import io.jenkins.plugins.kfp.KfpSettings;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.UUID;

/**
 * Puts the local runner on an agent. The plugin carries kfp-core and its libraries as one jar
 * ({@code kfp-runner.jar}, assembled by the plugin build); it is copied once per content into the
 * agent's kfpci cache, under {@code runner/<sha-256 prefix>/}, and reused by every later run on
 * that agent. A copy is written under a temporary name and renamed, so two builds installing at
 * once both end with a complete jar. Runs on the controller; the copy streams over the channel.
 */
final class RunnerInstaller {
  static final String RESOURCE = "kfp-runner.jar";
  private static volatile String digest;

  private RunnerInstaller() {}

  /** The runner jar's path on the agent of {@code workspace}, installing it first when needed. */
  static String install(FilePath workspace, KfpSettings settings) throws IOException, InterruptedException {
    URL jar = RunnerInstaller.class.getResource(RESOURCE);
    if (jar == null) {
      throw new AbortException("this build of the kubeflow-pipelines plugin carries no local runner ("
          + RESOURCE + "); install a plugin built with ./mvnw -Pjenkins package");
    }
    String cache = workspace.act(new AgentCacheDirectory(settings));
    FilePath dir = new FilePath(workspace.getChannel(), cache).child("runner").child(digest().substring(0, 16));
    FilePath target = dir.child(RESOURCE);
    if (target.exists()) {
      return target.getRemote();
    }
    dir.mkdirs();
    FilePath partial = dir.child(RESOURCE + "." + UUID.randomUUID() + ".partial");
    try {
      partial.copyFrom(jar);
      partial.renameTo(target);
    } catch (IOException e) {
      if (!target.exists()) {
        throw e;
      }
      // Another build installed the same jar meanwhile; theirs is as good as ours.
    } finally {
      if (partial.exists()) {
        partial.delete();
      }
    }
    return target.getRemote();
  }

  private static String digest() throws IOException {
    String known = digest;
    if (known != null) {
      return known;
    }
    try (InputStream in = RunnerInstaller.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IOException("the plugin's " + RESOURCE + " cannot be read");
      }
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[1 << 16];
      for (int n; (n = in.read(buffer)) > 0; ) {
        sha.update(buffer, 0, n);
      }
      known = HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java has SHA-256", e);
    }
    digest = known;
    return known;
  }
}

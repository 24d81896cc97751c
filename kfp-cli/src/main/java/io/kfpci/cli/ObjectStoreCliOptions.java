package io.kfpci.cli;

import io.kfpci.artifacts.ObjectStoreOptions;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * Where the object store is and who we are to it: shared by {@code kfpci artifacts} and
 * {@code kfpci deploy --promote}. The secret key is read from the environment only; a command
 * line is visible to every user of the machine.
 */
final class ObjectStoreCliOptions {
  static final String ACCESS_KEY_ENV = "AWS_ACCESS_KEY_ID";
  static final String SECRET_KEY_ENV = "AWS_SECRET_ACCESS_KEY";

  @Option(names = "--s3-endpoint", paramLabel = "URL",
      description = "The object store, e.g. http://localhost:9000 after"
          + " 'kubectl port-forward -n kubeflow svc/seaweedfs 9000:9000'.")
  String endpoint;

  @Option(names = "--s3-region", paramLabel = "REGION", defaultValue = "us-east-1",
      description = "Signing region (default: ${DEFAULT-VALUE}).")
  String region;

  @Option(names = "--s3-access-key", paramLabel = "KEY",
      description = "Access key id (default: $" + ACCESS_KEY_ENV + "); the secret comes from $" + SECRET_KEY_ENV + ".")
  String accessKey;

  /** The environment, replaceable in tests. */
  Map<String, String> environment = System.getenv();

  /**
   * The endpoint and credentials, ready for the command's own settings.
   *
   * @param option the option that needs the store, for the message when --s3-endpoint is missing
   */
  ObjectStoreOptions.Builder builder(String option) {
    if (endpoint == null) {
      throw new IllegalArgumentException(option + " needs --s3-endpoint (e.g. http://localhost:9000)");
    }
    String access = accessKey != null ? accessKey : environment.get(ACCESS_KEY_ENV);
    String secret = environment.get(SECRET_KEY_ENV);
    if (access != null && secret == null) {
      throw new IllegalArgumentException("an access key is set but $" + SECRET_KEY_ENV + " is not: set it to the secret key");
    }
    return ObjectStoreOptions.builder().endpoint(endpoint).region(region).credentials(secret == null ? null : access, secret);
  }
}

package io.jenkins.plugins.kfp.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.kfp.config.KfpEndpoint;
import io.kfpci.KfpException;
import io.kfpci.client.KfpApiException;
import io.kfpci.client.KfpClient;
import io.kfpci.client.KfpConnection;
import io.kfpci.client.ListQuery;
import io.kfpci.emulator.KfpEmulator;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An endpoint's settings and credentials become the core's connection and observation options:
 * each credential looked up once with its kind and setting, the token, user id header and cookie
 * carried by the connection (and accepted by the KFP API emulator), TLS, the port-forward's
 * address, and the object store's keys; no value ever in a {@code toString()} or a message.
 */
class EndpointAccessTest {
  private static final String TOKEN = "kfp-token-5d0c2b7e19";
  private static final String COOKIE = "authservice_session=c2Vzc2lvbi1zZWNyZXQtOTk";
  private static final String KUBECONFIG = "apiVersion: v1\nusers:\n- name: ci\n  user:\n    token: kube-token-0a9f8e7d\n";
  private static final String SECRET_KEY = "minio-secret-key-41c2";

  private static FakeCredentials credentials() {
    return new FakeCredentials().text("kfp-token", TOKEN).text("kfp-session", COOKIE).file("kfp-kubeconfig", KUBECONFIG)
        .usernamePassword("kfp-minio", "minio", SECRET_KEY).file("kfp-token-file", "  " + TOKEN + "\n");
  }

  private static KfpEndpoint full(String url) {
    KfpEndpoint e = new KfpEndpoint("prod", url);
    e.setCredentialsId("kfp-token");
    e.setUserId("ci@example.com");
    e.setCookieCredentialsId("kfp-session");
    e.setNamespace("ml-team");
    e.setKubeconfigCredentialsId("kfp-kubeconfig");
    e.setMlmdAddress("metadata-grpc-service.kubeflow:8080");
    e.setObjectStoreUrl("http://minio-service.kubeflow:9000");
    e.setObjectStoreRegion("eu-west-1");
    e.setObjectStoreBucket("artifacts");
    e.setObjectStoreCredentialsId("kfp-minio");
    return e;
  }

  @Test
  void everyCredentialIsLookedUpOnceWithItsKindAndNeverShown() throws Exception {
    FakeCredentials lookup = credentials();

    EndpointAccess.Secrets secrets = EndpointAccess.resolve(full("https://kfp.example.com"), lookup);

    assertThat(lookup.lookups).containsExactly("credentialsId=kfp-token as TOKEN",
        "cookieCredentialsId=kfp-session as SECRET_TEXT", "kubeconfigCredentialsId=kfp-kubeconfig as SECRET_FILE",
        "objectStoreCredentialsId=kfp-minio as USERNAME_PASSWORD");
    assertThat(secrets).isEqualTo(new EndpointAccess.Secrets(TOKEN, COOKIE, KUBECONFIG, "minio", SECRET_KEY));
    assertThat(secrets.toString()).isEqualTo("Secrets[token=****, cookie=****, kubeconfig=****, accessKey=minio, "
        + "secretKey=****]");
    String all = "sent " + TOKEN + " " + COOKIE + " kube-token-0a9f8e7d " + SECRET_KEY + " c2Vzc2lvbi1zZWNyZXQtOTk";
    assertThat(secrets.masker().mask(all)).isEqualTo("sent **** **** **** **** ****");
    assertThat(EndpointAccess.resolve(new KfpEndpoint("bare", "https://kfp.example.com"), lookup))
        .isEqualTo(EndpointAccess.Secrets.NONE);
  }

  @Test
  void aSecretFileTokenIsItsContentStripped() throws Exception {
    KfpEndpoint e = new KfpEndpoint("prod", "https://kfp.example.com");
    e.setCredentialsId("kfp-token-file");

    assertThat(EndpointAccess.resolve(e, credentials()).token()).isEqualTo(TOKEN);
  }

  @Test
  void aCredentialTheCallerCannotUseNamesEndpointSettingIdAndKind() {
    KfpEndpoint e = new KfpEndpoint("prod", "https://kfp.example.com");
    e.setCookieCredentialsId("kfp-minio");

    assertThatThrownBy(() -> EndpointAccess.resolve(e, credentials()))
        .isInstanceOf(CredentialUnavailableException.class)
        .hasMessage("endpoint prod: cookieCredentialsId 'kfp-minio' names no Secret text credential that this build "
            + "can use (check its id, kind and scope: builds see GLOBAL credentials and their folders', not SYSTEM "
            + "ones)")
        .satisfies(t -> {
          CredentialUnavailableException c = (CredentialUnavailableException) t;
          assertThat(c.credentialsId()).isEqualTo("kfp-minio");
          assertThat(c.kind()).isEqualTo(CredentialLookup.Kind.SECRET_TEXT);
          assertThat(c.setting()).isEqualTo("cookieCredentialsId");
        });
  }

  @Test
  void theConnectionCarriesTokenUserIdCookieAndTls() throws Exception {
    KfpEndpoint e = full("https://kfp.example.com/pipeline");
    e.setSkipTlsVerify(true);
    EndpointAccess.Secrets secrets = EndpointAccess.resolve(e, credentials());

    KfpConnection c = EndpointAccess.connection(e, secrets, null, w -> { });

    assertThat(c.endpoint()).isEqualTo(URI.create("https://kfp.example.com/pipeline"));
    assertThat(c.name()).isEqualTo("prod");
    assertThat(c.namespace()).isEqualTo("ml-team");
    assertThat(c.credentials().tokenFromVariable()).isEqualTo(TOKEN);
    assertThat(c.credentials().userId()).isEqualTo("ci@example.com");
    assertThat(c.credentials().cookie()).isEqualTo(COOKIE);
    assertThat(c.credentials().toString()).isEqualTo("Credentials[the bearer token from $credential kfp-token and the "
        + "kubeflow-userid header and the Cookie header]");
    assertThat(c.insecure()).isTrue();
    assertThat(c.caCertificates()).isNull();
    assertThat(c.runUiUrl("r1")).isEqualTo("https://kfp.example.com/pipeline/#/runs/details/r1");
    assertThat(EndpointAccess.skipVerifyWarning(e)).isEqualTo("endpoint prod skips TLS verification (set in Manage "
        + "Jenkins > Kubeflow Pipelines): anyone on the path to https://kfp.example.com/pipeline can read and change "
        + "what is sent, the credentials included");
    assertThat(EndpointAccess.skipVerifyWarning(new KfpEndpoint("p", "https://x.example.com"))).isNull();

    e.setSkipTlsVerify(false);
    e.setCaCertificate("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----");
    assertThat(EndpointAccess.connection(e, secrets, null, w -> { }).caCertificates())
        .isEqualTo("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
  }

  @Test
  void theServerGetsTheTokenFromTheCredential() throws Exception {
    try (KfpEmulator kfp = Emulators.start(KfpEmulator.builder().requireBearerToken(TOKEN))) {
      KfpEndpoint e = new KfpEndpoint("prod", kfp.baseUrl().toString());
      e.setCredentialsId("kfp-token");
      KfpConnection c = EndpointAccess.connection(e, EndpointAccess.resolve(e, credentials()), null, w -> { });
      try (KfpClient client = KfpClient.connect(c)) {
        assertThat(client.listExperiments(new ListQuery(null, null, 1, null)).items()).extracting(e2 -> e2.displayName())
            .containsExactly("Default");
      }
      assertThat(kfp.state().requests()).last().satisfies(r -> {
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.hadBearerToken()).isTrue();
      });

      KfpEndpoint wrong = new KfpEndpoint("prod", kfp.baseUrl().toString());
      wrong.setCredentialsId("kfp-session");
      KfpConnection refused = EndpointAccess.connection(wrong, EndpointAccess.resolve(wrong, credentials()), null,
          w -> { });
      try (KfpClient client = KfpClient.connect(refused)) {
        assertThatThrownBy(() -> client.listExperiments(new ListQuery(null, null, 1, null)))
            .isInstanceOf(KfpApiException.class).satisfies(t -> {
              assertThat(((KfpApiException) t).status()).isEqualTo(401);
              assertThat(t.getMessage()).doesNotContain(COOKIE).doesNotContain("c2Vzc2lvbi1zZWNyZXQtOTk");
            });
      }
    }
  }

  @Test
  void kubernetesAccessUsesTheForwardsAddressWithoutUiLinks() throws Exception {
    KfpEndpoint e = new KfpEndpoint("in-cluster", "");
    e.setKfpNamespace("kubeflow");
    e.setInCluster(true);

    assertThat(EndpointAccess.throughKubernetes(e)).isTrue();
    assertThat(EndpointAccess.where(e)).isEqualTo("svc/ml-pipeline:8888 in namespace kubeflow (port-forward)");
    KfpConnection c = EndpointAccess.connection(e, EndpointAccess.Secrets.NONE, URI.create("http://127.0.0.1:40123"),
        w -> { });
    assertThat(c.endpoint()).isEqualTo(URI.create("http://127.0.0.1:40123"));
    assertThat(c.runUiUrl("r1")).isNull();
    assertThat(c.credentials().describe()).isEqualTo("no credential (none was given)");
    assertThatThrownBy(() -> EndpointAccess.connection(e, EndpointAccess.Secrets.NONE, null, w -> { }))
        .isInstanceOf(KfpException.class)
        .hasMessage("endpoint in-cluster is reached through Kubernetes, but no port-forward was opened");
  }

  @Test
  void theObservationCarriesMetadataObjectStoreKeysAndCluster() throws Exception {
    KfpEndpoint e = full("https://kfp.example.com");

    RemoteObservation o = EndpointAccess.observation(e, EndpointAccess.resolve(e, credentials()));

    assertThat(o.metadata().address()).isEqualTo("metadata-grpc-service.kubeflow:8080");
    assertThat(o.objectStore().endpoint()).isEqualTo(URI.create("http://minio-service.kubeflow:9000"));
    assertThat(o.objectStore().region()).isEqualTo("eu-west-1");
    assertThat(o.objectStore().defaultBucket()).isEqualTo("artifacts");
    assertThat(o.objectStore().accessKey()).isEqualTo("minio");
    assertThat(o.objectStore().secretKey()).isEqualTo(SECRET_KEY);
    assertThat(o.kubeconfig()).isEqualTo(KUBECONFIG);
    assertThat(o.cluster()).isTrue();
    assertThat(o.toString()).doesNotContain(SECRET_KEY).doesNotContain("kube-token-0a9f8e7d");

    KfpEndpoint bare = new KfpEndpoint("bare", "https://kfp.example.com");
    assertThat(EndpointAccess.observation(bare, EndpointAccess.Secrets.NONE))
        .isEqualTo(new RemoteObservation(null, null, null, false));
    bare.setMlmdAddress("no-port");
    assertThatThrownBy(() -> EndpointAccess.observation(bare, EndpointAccess.Secrets.NONE))
        .isInstanceOf(KfpException.class)
        .hasMessage("endpoint bare: ML Metadata address 'no-port' is not host:port (e.g. localhost:8080)");
  }

  @Test
  void connectionWarningsReachTheConsumer() throws Exception {
    KfpEndpoint e = new KfpEndpoint("plain", "http://kfp.example.com");
    e.setSkipTlsVerify(true);
    List<String> warnings = new ArrayList<>();
    KfpClient.connect(EndpointAccess.connection(e, EndpointAccess.Secrets.NONE, null, warnings::add)).close();

    assertThat(warnings).containsExactly("--insecure has no effect on http://kfp.example.com, which is plain http");
  }

  @Test
  void skippedVerificationIsSaidOncePerBuildInTheConfigurationsWordsAndMasked() throws Exception {
    KfpEndpoint e = new KfpEndpoint("insecure", "https://kfp.example.com/pipeline");
    e.setSkipTlsVerify(true);
    EndpointAccess.Secrets secrets = new EndpointAccess.Secrets(TOKEN, null, null, null, null);
    List<String> console = new ArrayList<>();

    // A watch connects at every check: three connections of one build, then one of another.
    for (String build : List.of("job#1", "job#1", "job#1", "job#2")) {
      java.util.function.Consumer<String> warnings = EndpointAccess.warnings(e, build, secrets.masker(), console::add);
      KfpClient.connect(EndpointAccess.connection(e, secrets, null, warnings)).close();
      warnings.accept("server said " + TOKEN + " expired in " + build);
    }

    String warning = "endpoint insecure skips TLS verification (set in Manage Jenkins > Kubeflow Pipelines): anyone "
        + "on the path to https://kfp.example.com/pipeline can read and change what is sent, the credentials included";
    assertThat(console).containsExactly(warning, "server said **** expired in job#1", warning,
        "server said **** expired in job#2");
  }

  /** A key pair and certificate for 127.0.0.1 made with the JDK's keytool, and that certificate as PEM. */
  private static String[] selfSigned(java.nio.file.Path dir, String name) throws Exception {
    String keytool = java.nio.file.Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    java.nio.file.Path store = dir.resolve(name + ".p12");
    run(keytool, "-genkeypair", "-keyalg", "RSA", "-keysize", "2048", "-alias", name, "-dname", "CN=" + name,
        "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-keystore", store.toString(), "-storetype", "PKCS12",
        "-storepass", "changeit", "-keypass", "changeit");
    java.nio.file.Path pem = dir.resolve(name + ".pem");
    run(keytool, "-exportcert", "-rfc", "-alias", name, "-keystore", store.toString(), "-storepass", "changeit",
        "-file", pem.toString());
    return new String[] {store.toString(), java.nio.file.Files.readString(pem)};
  }

  private static void run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(out).isZero();
  }

  @Test
  void aCaCertificateLetsTheControllerTrustAPrivateServerAndOnlyThatOne(@org.junit.jupiter.api.io.TempDir
      java.nio.file.Path dir) throws Exception {
    String[] server = selfSigned(dir, "kfp-private-ca");
    String[] other = selfSigned(dir, "another-ca");
    java.security.KeyStore keys = java.security.KeyStore.getInstance("PKCS12");
    try (java.io.InputStream in = java.nio.file.Files.newInputStream(java.nio.file.Path.of(server[0]))) {
      keys.load(in, "changeit".toCharArray());
    }
    javax.net.ssl.KeyManagerFactory kmf = javax.net.ssl.KeyManagerFactory.getInstance(
        javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(keys, "changeit".toCharArray());
    javax.net.ssl.SSLContext tls = javax.net.ssl.SSLContext.getInstance("TLS");
    tls.init(kmf.getKeyManagers(), null, null);
    com.sun.net.httpserver.HttpsServer https = com.sun.net.httpserver.HttpsServer.create(
        new java.net.InetSocketAddress("127.0.0.1", 0), 0);
    https.setHttpsConfigurator(new com.sun.net.httpserver.HttpsConfigurator(tls));
    https.createContext("/apis/v2beta1/healthz", exchange -> {
      byte[] body = "{\"commit_sha\":\"0123456789\",\"tag_name\":\"2.17.0\",\"multi_user\":false}"
          .getBytes(java.nio.charset.StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    https.start();
    try {
      String url = "https://127.0.0.1:" + https.getAddress().getPort();
      KfpEndpoint trusting = new KfpEndpoint("private", url);
      trusting.setCaCertificate(server[1]);
      assertThat(io.jenkins.plugins.kfp.config.ConfigurationValues.endpointProblems(trusting)).isEmpty();
      try (KfpClient client = KfpClient.connect(EndpointAccess.connection(trusting, EndpointAccess.Secrets.NONE, null,
          w -> { }))) {
        assertThat(client.healthz().tagName()).isEqualTo("2.17.0");
      }

      KfpEndpoint wrongCa = new KfpEndpoint("private", url);
      wrongCa.setCaCertificate(other[1]);
      KfpEndpoint noCa = new KfpEndpoint("private", url);
      for (KfpEndpoint refused : List.of(wrongCa, noCa)) {
        // One attempt: an untrusted certificate does not become trusted by trying again.
        try (KfpClient client = KfpClient.connect(EndpointAccess.build(refused, EndpointAccess.builder(refused,
            EndpointAccess.Secrets.NONE, null, w -> { }).retry(io.kfpci.client.RetryPolicy.NONE)))) {
          assertThatThrownBy(client::healthz).isInstanceOf(KfpApiException.class)
              .hasMessageContaining("GET /apis/v2beta1/healthz at " + url);
        }
      }
    } finally {
      https.stop(0);
    }
  }
}

package io.kfpci.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KfpConnectionTest {
  @TempDir Path dir;

  @Test
  void insecureWarnsOnEveryUse() throws Exception {
    List<String> warnings = new ArrayList<>();
    KfpConnection c = KfpConnection.builder(URI.create("https://kfp.example.com/pipeline/")).insecure(true)
        .warnings(warnings::add).build();
    assertThat(c.endpoint().toString()).isEqualTo("https://kfp.example.com/pipeline");
    KfpClient.connect(c).close();
    KfpClient.connect(c).close();
    assertThat(warnings).hasSize(2).allMatch(w -> w.equals("TLS verification is OFF for https://kfp.example.com/pipeline "
        + "(--insecure): anyone on the path can read and change what is sent, the credentials included"));
  }

  @Test
  void aCaFileWithoutCertificatesIsRefused() throws Exception {
    Path ca = dir.resolve("ca.pem");
    Files.writeString(ca, "not a certificate\n");
    KfpConnection c = KfpConnection.builder(URI.create("https://kfp.example.com")).caFile(ca).build();
    assertThatThrownBy(() -> KfpClient.connect(c)).isInstanceOf(KfpApiException.class)
        .hasMessageStartingWith("cannot use the CA file " + ca + ": ");
  }

  @Test
  void caCertificatesGivenAsTextAreReadLikeAFile() throws Exception {
    KfpConnection junk = KfpConnection.builder(URI.create("https://kfp.example.com")).caCertificates("not a certificate\n")
        .build();
    assertThatThrownBy(() -> KfpClient.connect(junk)).isInstanceOf(KfpApiException.class)
        .hasMessageStartingWith("cannot use the CA certificates given: ");
    assertThat(KfpConnection.builder(URI.create("https://kfp.example.com")).caCertificates("  ").build().caCertificates())
        .isNull();
    Path ca = dir.resolve("ca.pem");
    Files.writeString(ca, "x");
    assertThatThrownBy(() -> KfpConnection.builder(URI.create("https://kfp.example.com")).caFile(ca)
        .caCertificates("-----BEGIN CERTIFICATE-----").build())
        .hasMessage("give CA certificates as a file or as text, not both");
  }

  @Test
  void endpointsAreChecked() {
    assertThatThrownBy(() -> KfpConnection.builder(URI.create("ftp://kfp")).build())
        .hasMessage("the KFP endpoint must be an http:// or https:// URL, not 'ftp://kfp'");
    assertThatThrownBy(() -> KfpConnection.builder(URI.create("https://user:pw@kfp.example.com")).build())
        .hasMessage("put no user or password in the endpoint URL; use --token-file or --cookie");
    assertThatThrownBy(() -> KfpConnection.builder(null).build())
        .hasMessage("no KFP endpoint: give --endpoint URL or set KF_PIPELINES_ENDPOINT");
    KfpConnection c = KfpConnection.builder(URI.create("http://127.0.0.1:8888")).build();
    assertThat(c.name()).isEqualTo("127.0.0.1:8888");
    assertThat(c.runUiUrl("r1")).isEqualTo("http://127.0.0.1:8888/#/runs/details/r1");
  }

  @Test
  void credentialsNeverShowTheirValues() {
    Credentials c = Credentials.builder().tokenVariable("KF_PIPELINES_TOKEN", () -> "s3cr3t-token")
        .cookie("authservice_session=s3cr3t-cookie").userId("alice@example.com").build();
    assertThat(c.toString()).isEqualTo("Credentials[the bearer token from $KF_PIPELINES_TOKEN and the kubeflow-userid "
        + "header and the Cookie header]").doesNotContain("s3cr3t");
    assertThatThrownBy(() -> Credentials.builder().cookie("a=b\r\nX-Evil: 1").build())
        .hasMessage("the cookie must be one line (a raw Cookie header value)");
  }
}

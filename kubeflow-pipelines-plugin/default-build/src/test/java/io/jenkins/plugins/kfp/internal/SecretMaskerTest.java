package io.jenkins.plugins.kfp.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Secret values never reach the console: every occurrence is masked, whole lines and streams alike. */
class SecretMaskerTest {
  private static final String TOKEN = "kfp-token-7f3a9c2e51";

  @Test
  void everyOccurrenceIsMaskedLongestFirst() {
    SecretMasker masker = SecretMasker.of(Arrays.asList(TOKEN, "7f3a9c", null, "  ", "ab"));

    assertThat(masker.size()).isEqualTo(2);
    assertThat(masker.mask("Authorization: Bearer " + TOKEN + " (again " + TOKEN + ", part 7f3a9c)"))
        .isEqualTo("Authorization: Bearer **** (again ****, part ****)");
    // Two-letter values would garble ordinary text and hide nothing: they are not masked.
    assertThat(masker.mask("abba")).isEqualTo("abba");
    assertThat(SecretMasker.NONE.mask("plain " + TOKEN)).isEqualTo("plain " + TOKEN);
    assertThat(masker.toString()).isEqualTo("SecretMasker[2 values]");
  }

  @Test
  void regexCharactersInASecretAreTakenLiterally() {
    SecretMasker masker = SecretMasker.of(List.of("a.b*c$1\\E(x"));

    assertThat(masker.mask("axbbbc a.b*c$1\\E(x")).isEqualTo("axbbbc ****");
  }

  @Test
  void aCookieIsMaskedWholeAndCookieByCookie() {
    String cookie = "authservice_session=MTcwNjk5OTk5OXxEdi1CQkFFQ180SUFBUkFC; oauth2_proxy=c2VjcmV0LXZhbHVl";
    SecretMasker masker = SecretMasker.of(SecretMasker.cookieSecrets(cookie));

    assertThat(masker.mask("sent " + cookie)).isEqualTo("sent ****");
    assertThat(masker.mask("server echoed oauth2_proxy=c2VjcmV0LXZhbHVl back"))
        .isEqualTo("server echoed oauth2_proxy=**** back");
    assertThat(SecretMasker.cookieSecrets(null)).isEmpty();
  }

  @Test
  void aKubeconfigsTokensAndKeysAreMaskedNotItsAddresses() {
    String kubeconfig = """
        apiVersion: v1
        clusters:
        - cluster:
            server: https://10.0.0.1:6443
          name: prod
        users:
        - name: ci
          user:
            token: eyJhbGciOiJSUzI1NiJ9.c2VjcmV0
            client-key-data: "LS0tLS1CRUdJTiBQUklWQVRFIEtFWS0tLS0t"
        """;

    List<String> secrets = SecretMasker.kubeconfigSecrets(kubeconfig);

    assertThat(secrets).containsExactly("eyJhbGciOiJSUzI1NiJ9.c2VjcmV0", "LS0tLS1CRUdJTiBQUklWQVRFIEtFWS0tLS0t");
    SecretMasker masker = SecretMasker.of(secrets);
    assertThat(masker.mask("cannot reach https://10.0.0.1:6443 with token eyJhbGciOiJSUzI1NiJ9.c2VjcmV0"))
        .isEqualTo("cannot reach https://10.0.0.1:6443 with token ****");
  }

  @Test
  void aMultiLineSecretIsAlsoMaskedLineByLine() {
    SecretMasker masker = SecretMasker.of(List.of("first-line-secret\nsecond-line-secret\nab"));

    assertThat(masker.mask("only second-line-secret shown")).isEqualTo("only **** shown");
  }

  @Test
  void linesCollectedConsumersAndStreamsAreMasked() throws Exception {
    SecretMasker masker = SecretMasker.of(List.of(TOKEN));
    List<String> lines = new ArrayList<>();
    masker.masking(lines::add).accept("warning: server said " + TOKEN);
    assertThat(lines).containsExactly("warning: server said ****");

    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    try (OutputStream out = masker.masking(sink)) {
      byte[] line = ("[kfp] token " + TOKEN + " refused\nnext ").getBytes(StandardCharsets.UTF_8);
      // Written in pieces that split the secret: the stream masks whole lines.
      out.write(line, 0, 15);
      out.write(line, 15, 10);
      out.write(line, 25, line.length - 25);
      assertThat(sink.toString(StandardCharsets.UTF_8)).isEqualTo("[kfp] token **** refused\n");
      out.write(TOKEN.getBytes(StandardCharsets.UTF_8));
    }
    assertThat(sink.toString(StandardCharsets.UTF_8)).isEqualTo("[kfp] token **** refused\nnext ****");
    assertThat(SecretMasker.NONE.masking(sink)).isSameAs(sink);
  }

  @Test
  void aMaskedConsoleLoggerWritesEachPrintedLineMasked() {
    SecretMasker masker = SecretMasker.of(List.of(TOKEN));
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    java.io.PrintStream console = new java.io.PrintStream(sink, true, StandardCharsets.UTF_8);

    java.io.PrintStream masked = masker.masking(console);
    masked.println("[kfp] run failed: server said token " + TOKEN + " is expired");
    masked.print("[kfp] ü " + TOKEN);
    assertThat(sink.toString(StandardCharsets.UTF_8)).isEqualTo("[kfp] run failed: server said token **** is expired"
        + System.lineSeparator());
    masked.close();

    assertThat(sink.toString(StandardCharsets.UTF_8)).endsWith("[kfp] ü ****");
    // The build's own stream stays open.
    console.println("after");
    assertThat(sink.toString(StandardCharsets.UTF_8)).endsWith("after" + System.lineSeparator());
    assertThat(SecretMasker.NONE.masking(console)).isSameAs(console);
  }
}

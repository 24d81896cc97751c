package io.kfpci.local.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Masking secret values in lines and JSON, and which names are secret by convention. */
class SecretsTest {
  @Test
  void everyOccurrenceIsMaskedRawOrJsonEscapedLongestFirst() throws Exception {
    Secrets secrets = Secrets.of(Arrays.asList("ab\"c\\d", "ab", "", null));

    assertThat(secrets.mask("x ab\"c\\d y ab z")).isEqualTo("x **** y **** z");
    assertThat(secrets.mask("{\"v\":\"ab\\\"c\\\\d\"}")).as("as a task prints it inside JSON")
        .isEqualTo("{\"v\":\"****\"}");
    assertThat(secrets.mask((String) null)).isNull();
    assertThat(secrets.appearsIn("nothing here")).isFalse();
    JsonNode tree = JsonValues.JSON.readTree("{\"k\":[\"ab-1\",{\"ab\":\"ab\"}],\"n\":3}");
    assertThat(JsonValues.write(secrets.mask(tree))).isEqualTo("{\"k\":[\"****-1\",{\"ab\":\"****\"}],\"n\":3}");
    assertThat(Secrets.NONE.mask("ab")).isEqualTo("ab");
  }

  /** A secret handed to a task by json_escape[N] and printed as it came is masked at every level. */
  @Test
  void everyJsonEscapeLevelOfASecretIsMasked() {
    Secrets secrets = Secrets.of(List.of("p\"w"));
    for (int level = 0; level <= io.kfpci.ir.Placeholders.MAX_JSON_ESCAPE; level++) {
      String escaped = io.kfpci.ir.Placeholders.jsonEscape("p\"w", level);
      assertThat(secrets.mask("--cfg={\"pw\": \"" + escaped + "\"}")).as("level %d", level)
          .isEqualTo("--cfg={\"pw\": \"****\"}");
    }
    assertThat(secrets.mask("p\\\\\\\"w")).as("level 1 spelled out").isEqualTo("****");
  }

  @Test
  void aNumberSecretIsMaskedAsAString() throws Exception {
    Secrets pin = Secrets.of(List.of("1234"));
    assertThat(pin.mask(Map.of("pin", JsonValues.JSON.readTree("1234"))).get("pin").asText()).isEqualTo("****");
    assertThat(pin.mask(Map.of("other", JsonValues.JSON.readTree("12345"))).get("other").asInt()).isEqualTo(12345);
  }

  @Test
  void namesEndingInPasswordTokenOrSecretAreSecretByConvention() {
    assertThat(List.of("password", "db_password", "API_TOKEN", "client_secret", "token", "db_passwd"))
        .allMatch(Secrets::isSecretName);
    assertThat(List.of("max_tokens", "secretary", "password_hint", "tokenizer", "data_path"))
        .noneMatch(Secrets::isSecretName);
  }

  @Test
  void theTaskEnvironmentKeepsOnlyTheDocumentedVariablesUnlessInherited() {
    Map<String, String> agent = Map.of("PATH", "/bin", "HOME", "/h", "LC_ALL", "C", "https_proxy", "http://p",
        "AWS_SECRET_ACCESS_KEY", "k", "GITHUB_TOKEN", "t", "PIP_INDEX_URL", "https://i");
    assertThat(TaskEnvironment.base(agent, false)).containsOnlyKeys("PATH", "HOME", "LC_ALL", "https_proxy",
        "PIP_INDEX_URL");
    assertThat(TaskEnvironment.base(agent, true)).isEqualTo(new java.util.TreeMap<>(agent));
  }
}

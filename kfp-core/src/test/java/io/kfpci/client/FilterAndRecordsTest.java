package io.kfpci.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.kfpci.client.KfpApi.CreateRecurringRunRequest;
import io.kfpci.client.KfpApi.CreateRunRequest;
import io.kfpci.client.internal.ApiJson;
import io.kfpci.report.RuntimeState;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FilterAndRecordsTest {

  @Test
  void filtersAreTheServersJson() {
    assertThat(Filter.equal("display_name", "nightly").toJson())
        .isEqualTo("{\"predicates\":[{\"key\":\"display_name\",\"operation\":\"EQUALS\",\"string_value\":\"nightly\"}]}");
    assertThat(Filter.in("run_id", List.of("a", "b")).andEqual("state", "RUNNING").toJson())
        .isEqualTo("{\"predicates\":[{\"key\":\"run_id\",\"operation\":\"IN\",\"string_values\":{\"values\":[\"a\",\"b\"]}},"
            + "{\"key\":\"state\",\"operation\":\"EQUALS\",\"string_value\":\"RUNNING\"}]}");
  }

  @Test
  void aRunRequestCarriesOnlyFieldsTheServerKnows() {
    Map<String, JsonNode> params = new LinkedHashMap<>();
    params.put("epochs", IntNode.valueOf(3));
    params.put("name", TextNode.valueOf("x"));
    CreateRunRequest r = new CreateRunRequest("exp-1", "ci-123", null,
        new KfpApi.PipelineVersionReference("p-1", "v-1"), null, new KfpApi.RuntimeConfig(params, null), "pipeline-runner");
    assertThat(new String(ApiJson.bytes(r), StandardCharsets.UTF_8)).isEqualTo(
        "{\"experiment_id\":\"exp-1\",\"display_name\":\"ci-123\",\"pipeline_version_reference\":{\"pipeline_id\":\"p-1\","
            + "\"pipeline_version_id\":\"v-1\"},\"runtime_config\":{\"parameters\":{\"epochs\":3,\"name\":\"x\"}},"
            + "\"service_account\":\"pipeline-runner\"}");
  }

  @Test
  void int64FieldsAreStringsBothWays() {
    CreateRecurringRunRequest r = new CreateRecurringRunRequest("nightly", null, "e", new KfpApi.PipelineVersionReference("p", null),
        new KfpApi.RuntimeConfig(Map.of(), null), null, 1L,
        new KfpApi.Trigger(new KfpApi.CronSchedule(null, null, "0 0 2 * * *"), null), "ENABLE", true);
    assertThat(new String(ApiJson.bytes(r), StandardCharsets.UTF_8)).isEqualTo(
        "{\"display_name\":\"nightly\",\"experiment_id\":\"e\",\"pipeline_version_reference\":{\"pipeline_id\":\"p\"},"
            + "\"runtime_config\":{\"parameters\":{}},\"max_concurrency\":\"1\",\"trigger\":{\"cron_schedule\":"
            + "{\"cron\":\"0 0 2 * * *\"}},\"mode\":\"ENABLE\",\"no_catchup\":true}");
    KfpApi.RecurringRun back = ApiJson.MAPPER.convertValue(
        read("{\"recurring_run_id\":\"r\",\"max_concurrency\":\"7\",\"status\":\"DISABLED\",\"some_new_field\":{\"x\":1}}"),
        KfpApi.RecurringRun.class);
    assertThat(back.maxConcurrency()).isEqualTo(7L);
    assertThat(back.enabled()).isFalse();
  }

  @Test
  void requestsAreCheckedWhenBuilt() {
    assertThatThrownBy(() -> new CreateRunRequest("e", "n", null, null, null, null, null))
        .hasMessage("a run needs exactly one of a pipeline version reference and an inline pipeline spec");
    assertThatThrownBy(() -> new CreateRecurringRunRequest("n", null, "e", null, null, null, 11L, null, null, null))
        .hasMessage("max concurrency must be 1 to 10 (KFP's range), not 11");
    assertThatThrownBy(() -> new ListQuery(null, null, 201, null)).hasMessage("page size must be 0 to 200, not 201");
  }

  @Test
  void anAbsentOrUnknownStateIsNotKnownYet() {
    KfpApi.Run run = ApiJson.MAPPER.convertValue(read("{\"run_id\":\"r\"}"), KfpApi.Run.class);
    assertThat(run.runtimeState()).isNull();
    assertThat(run.tasks()).isEmpty();
    KfpApi.Run odd = ApiJson.MAPPER.convertValue(read("{\"run_id\":\"r\",\"state\":\"HIBERNATING\"}"), KfpApi.Run.class);
    assertThat(odd.runtimeState()).isNull();
    KfpApi.Run canceling = ApiJson.MAPPER.convertValue(read("{\"run_id\":\"r\",\"state\":\"CANCELING\"}"), KfpApi.Run.class);
    assertThat(canceling.runtimeState()).isEqualTo(RuntimeState.CANCELING);
  }

  @Test
  void idsThatWouldChangeThePathAreRefused() {
    assertThat(KfpClient.id("e954e3c1-a946-4bbe-9f4d-08f6f4e0f3b0")).isEqualTo("e954e3c1-a946-4bbe-9f4d-08f6f4e0f3b0");
    assertThatThrownBy(() -> KfpClient.id("../pipelines")).hasMessage("not a KFP id: '../pipelines'");
    assertThatThrownBy(() -> KfpClient.id("a/b")).hasMessage("not a KFP id: 'a/b'");
  }

  static JsonNode read(String json) {
    try {
      return ApiJson.MAPPER.readTree(json);
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }
}

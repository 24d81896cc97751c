package io.jenkins.plugins.kfp.steps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Snippet Generator's name and value entries, combined with a script's {@code params} map. */
class KfpParameterTest {
  @Test
  void entriesFollowTheMapInOrder() {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("data_path", "data.csv");
    LinkedHashMap<String, String> merged = KfpParameter.merge(params, List.of(
        new KfpParameter(" n_estimators ", "50"), new KfpParameter("features", "[\"a\", \"b\"]"),
        new KfpParameter("note", null)));

    assertThat(merged).containsExactly(Map.entry("data_path", "data.csv"), Map.entry("n_estimators", "50"),
        Map.entry("features", "[\"a\", \"b\"]"), Map.entry("note", ""));
  }

  @Test
  void aNameGivenTwiceIsRefused() {
    assertThatThrownBy(() -> KfpParameter.merge(Map.of("seed", "1"), List.of(new KfpParameter("seed", "2"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("run parameter 'seed' is given twice (in params and parameters, or twice in parameters)");
    assertThatThrownBy(() -> KfpParameter.merge(Map.of(), List.of(new KfpParameter("a", "1"),
        new KfpParameter("a", "2")))).hasMessage("run parameter 'a' is given twice (in params and parameters, or"
            + " twice in parameters)");
  }

  @Test
  void anEntryWithoutANameIsRefused() {
    assertThatThrownBy(() -> KfpParameter.merge(Map.of(), List.of(new KfpParameter("a", "1"),
        new KfpParameter("  ", "2")))).hasMessage("run parameter 2 of parameters has no name");
  }

  @Test
  void theStepsKeepBothForms() {
    KfpRunStep run = new KfpRunStep("p.yaml");
    run.setParams(Map.of("a", 1));
    run.setParameters(List.of(new KfpParameter("b", "2")));
    assertThat(run.getParams()).containsExactly(Map.entry("a", 1));
    assertThat(run.getParameters()).extracting(KfpParameter::getName).containsExactly("b");
    run.setParameters(null);
    assertThat(run.getParameters()).isEmpty();
  }
}

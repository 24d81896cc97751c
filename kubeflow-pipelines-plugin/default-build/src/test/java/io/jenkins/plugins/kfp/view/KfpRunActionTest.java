package io.jenkins.plugins.kfp.view;

import static org.assertj.core.api.Assertions.assertThat;

import hudson.model.Action;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A build with several kfpRun calls gives its job one metrics trend, not one per run: Jenkins adds
 * the project actions of every run action of the last build, so only the first contributes.
 */
class KfpRunActionTest {
  private static KfpRunAction run(String id) {
    return new KfpRunAction(id, "p", "SUCCEEDED", "p run " + id + " SUCCEEDED", 1000, Map.of("accuracy", 0.9), true,
        "", "/ws/kfp-runs/p/" + id);
  }

  @Test
  void aBuildWithThreeRunsGivesItsJobOneTrend() {
    List<KfpRunAction> runs = List.of(run("jenkins-1-00000001"), run("jenkins-1-00000002"), run("jenkins-1-00000003"));

    // What Jenkins' LastBuildActionFactory does with the last build's LastBuildActions.
    List<Action> sidebar = new ArrayList<>();
    for (KfpRunAction action : runs) {
      sidebar.addAll(KfpRunAction.projectActions(action, runs, null));
    }

    assertThat(sidebar).singleElement().isInstanceOf(KfpTrendAction.class)
        .extracting(Action::getUrlName).isEqualTo("kfp-trend");
    assertThat(KfpRunAction.projectActions(runs.get(0), runs, null)).hasSize(1);
    assertThat(KfpRunAction.projectActions(runs.get(1), runs, null)).isEmpty();
    assertThat(KfpRunAction.projectActions(runs.get(2), runs, null)).isEmpty();
  }

  @Test
  void aBuildWithOneRunGivesOneTrend() {
    KfpRunAction only = run("jenkins-2-0000000a");
    assertThat(KfpRunAction.projectActions(only, List.of(only), null)).singleElement().isInstanceOf(KfpTrendAction.class);
    assertThat(KfpRunAction.projectActions(only, List.of(), null)).isEmpty();
  }
}

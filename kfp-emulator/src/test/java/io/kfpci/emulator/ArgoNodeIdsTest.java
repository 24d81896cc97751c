package io.kfpci.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The scripted workflow's node ids follow Argo's rule, as the recorded 2.17 exchanges show it. */
class ArgoNodeIdsTest {
  @Test
  void nodeIdsAreTheWorkflowNameAndTheFnvHashOfTheNodeName() {
    // Ids and names of runs-16-get-run-A-v1beta1.json's workflow_manifest (status.nodes).
    String wf = "ml-training-pipeline-fftpt";
    assertThat(ScriptedRunExecutor.nodeId(wf, wf)).isEqualTo(wf);
    assertThat(ScriptedRunExecutor.nodeId(wf, wf + ".root")).isEqualTo(wf + "-1703507435");
    assertThat(ScriptedRunExecutor.nodeId(wf, wf + ".root.condition-1.deploy-model")).isEqualTo(wf + "-2394756291");
    assertThat(ScriptedRunExecutor.nodeId(wf, wf + ".root.condition-1.deploy-model.executor"))
        .isEqualTo(wf + "-3873260538");
  }
}

package io.kfpci.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The "Pipeline outputs" section: shown only for a pipeline with outputs, escaped like every other
 * text of the page, within the page's CSP (no inline style), and kept through summary.json.
 */
class PipelineOutputsSectionTest {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private static RunSummary withOutputs(RunSummary.PipelineOutputs outputs) {
    RunSummary s = SummaryFixtures.seedRun();
    return new RunSummary(s.formatVersion(), s.pipelineName(), s.runId(), s.state(), s.createdAt(), s.startedAt(),
        s.finishedAt(), s.parameters(), s.location(), s.error(), s.tasks(), s.gates(), outputs);
  }

  @Test
  void outputsAreShownFirstAndEscaped() throws Exception {
    Map<String, JsonNode> parameters = new LinkedHashMap<>();
    parameters.put("Output", NODES.textNode("<script>alert(8)</script>"));
    parameters.put("score\"><b>", NODES.numberNode(0.93));
    ArtifactSummary model = new ArtifactSummary("model<i>", "system.Model", "/runs/p/r/train/model", "train/model",
        7, "ab".repeat(32), Map.of(), "train");
    RunSummary summary = withOutputs(new RunSummary.PipelineOutputs(parameters, List.of(model)));

    String page = RunReportPage.render(summary, List.of());

    assertThat(page).doesNotContainIgnoringCase("<script").doesNotContain("<b>", "<i>", " style=");
    assertThat(page).contains("<nav><a href=\"#outputs\">Pipeline outputs</a><a href=\"#graph\">Graph</a>",
        "<section id=\"outputs\">\n<h2>Pipeline outputs <small>3</small></h2>\n<dl class=\"facts params\">\n"
            + "<div data-pipeline-output=\"Output\"><dt>Output</dt><dd class=\"mono\">&lt;script&gt;alert(8)&lt;/script&gt;"
            + "</dd></div>\n<div data-pipeline-output=\"score&quot;&gt;&lt;b&gt;\"><dt>score&quot;&gt;&lt;b&gt;</dt>"
            + "<dd class=\"mono\">0.93</dd></div>\n</dl>\n",
        "<tr data-pipeline-output=\"model&lt;i&gt;\" data-task=\"train\"><td class=\"name\">model&lt;i&gt;</td>");
    assertThat(page.indexOf("<section id=\"outputs\">")).isLessThan(page.indexOf("<section id=\"graph\">"));
    assertThat(RunReportPage.render(RunSummaryJson.fromJson(RunSummaryJson.toJson(summary), "again"), List.of()))
        .as("the outputs survive summary.json").isEqualTo(page);
  }

  @Test
  void aPipelineWithoutOutputsHasNoSection() throws Exception {
    String page = RunReportPage.render(withOutputs(null), List.of());
    assertThat(page).doesNotContain("id=\"outputs\"", "#outputs", "data-pipeline-output");
    assertThat(RunSummaryJson.toJson(withOutputs(null))).doesNotContain("\"outputs\"");
    assertThat(RunReportPage.render(withOutputs(new RunSummary.PipelineOutputs(Map.of(), List.of())), List.of()))
        .isEqualTo(page);
  }
}

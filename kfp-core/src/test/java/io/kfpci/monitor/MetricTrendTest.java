package io.kfpci.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MetricTrendTest {
  private static Map<String, Double> metrics(Object... pairs) {
    Map<String, Double> out = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      out.put((String) pairs[i], ((Number) pairs[i + 1]).doubleValue());
    }
    return out;
  }

  @Test
  void layOutEachMetricAcrossRunsForAnSvgPolyline() {
    MetricTrend trend = MetricTrend.of(List.of(
        new MetricTrend.Point("#1", metrics("accuracy", 0.8, "loss", 0.5)),
        new MetricTrend.Point("#2", metrics("loss", 0.4)),
        new MetricTrend.Point("#3", metrics("accuracy", 0.9, "loss", 0.4))));

    assertThat(trend.labels()).containsExactly("#1", "#2", "#3");
    assertThat(trend.series()).extracting(MetricTrend.Series::name).containsExactly("accuracy", "loss");
    MetricTrend.Series accuracy = trend.series().get(0);
    assertThat(accuracy.values()).containsExactly(0.8, null, 0.9);
    assertThat(accuracy.last()).isEqualTo(0.9);
    assertThat(accuracy.polyline(200, 40)).isEqualTo("0.0,40.0 200.0,0.0");
    assertThat(trend.series().get(1).polyline(100, 40)).isEqualTo("0.0,0.0 50.0,40.0 100.0,40.0");
  }

  @Test
  void aConstantOrSingleValueSitsInTheMiddle() {
    MetricTrend one = MetricTrend.of(List.of(new MetricTrend.Point("#5", metrics("auc", 0.7))));
    assertThat(one.series().get(0).polyline(100, 40)).isEqualTo("50.0,20.0");
    assertThat(MetricTrend.of(List.of()).series()).isEmpty();
  }

  @Test
  void backoffGrowsWhileQuietAndResetsOnActivity() {
    PollBackoff backoff = new PollBackoff(Duration.ofMillis(250), Duration.ofSeconds(1), 2);
    assertThat(backoff.next(Duration.ofMillis(250), false)).isEqualTo(Duration.ofMillis(500));
    assertThat(backoff.next(Duration.ofMillis(800), false)).isEqualTo(Duration.ofSeconds(1));
    assertThat(backoff.next(Duration.ofSeconds(1), true)).isEqualTo(Duration.ofMillis(250));
    assertThatIllegalArgumentException().isThrownBy(() -> new PollBackoff(Duration.ZERO, Duration.ofSeconds(1), 2));
    assertThatIllegalArgumentException().isThrownBy(() -> new PollBackoff(Duration.ofSeconds(1), Duration.ofSeconds(1), 0.5));
  }

  @Test
  void launchRequestsAreCheckedWhenBuilt() {
    assertThatIllegalArgumentException().isThrownBy(() -> LaunchRequest.builder(Path.of("relative")).command(List.of("java")).build())
        .withMessage("the run directory must be an absolute path: relative");
    assertThatIllegalArgumentException().isThrownBy(() -> LaunchRequest.builder(Path.of("/runs/r")).build())
        .withMessage("the command must be non-empty words: []");
    LaunchRequest request = LaunchRequest.builder(Path.of("/runs/./r")).command(List.of("java", "-version"))
        .environment("KFPCI_CACHE_DIR", "/cache").build();
    assertThat(request.workingDirectory()).isEqualTo(Path.of("/runs/r"));
    assertThat(request.environment()).containsEntry("KFPCI_CACHE_DIR", "/cache");
  }

  @Test
  void setsidIsFoundOnThePathOrNotAtAll() {
    assertThat(DetachedLauncher.findOnPath("no-such-program-kfpci", "/usr/bin:/bin")).isEmpty();
    assertThat(DetachedLauncher.findOnPath("sh", "/nonexistent:/bin")).isEqualTo(Optional.of(Path.of("/bin/sh")));
  }
}

package io.jenkins.plugins.kfp;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.kfp.config.KfpEndpoint;
import io.jenkins.plugins.kfp.config.KubeflowPipelinesConfiguration;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/steps.md documents every step with every option, and nothing that does not exist;
 * docs/configuration.md shows every global setting in its Configuration as Code example.
 */
class StepsDocTest {
  private static final Pattern SECTION = Pattern.compile("(?m)^## `([A-Za-z]+)`");
  private static final Pattern OPTION_ROW = Pattern.compile("(?m)^\\| `([A-Za-z]+)`( \\(required\\))? \\|");

  /** Each "## `name`" section's option rows: option name to whether it says "(required)". */
  private static Map<String, Map<String, Boolean>> documented() throws Exception {
    String text = Files.readString(PluginClasses.repoRoot().resolve("docs/steps.md"));
    Map<String, Map<String, Boolean>> out = new LinkedHashMap<>();
    Matcher sections = SECTION.matcher(text);
    List<int[]> bounds = new ArrayList<>();
    List<String> names = new ArrayList<>();
    while (sections.find()) {
      names.add(sections.group(1));
      bounds.add(new int[] {sections.end(), text.length()});
    }
    for (int i = 0; i < names.size(); i++) {
      int end = i + 1 < bounds.size() ? text.lastIndexOf("\n## ", bounds.get(i + 1)[0]) : text.length();
      Matcher rows = OPTION_ROW.matcher(text.substring(bounds.get(i)[0], end));
      Map<String, Boolean> options = new LinkedHashMap<>();
      while (rows.find()) {
        options.put(rows.group(1), rows.group(2) != null);
      }
      out.put(names.get(i), options);
    }
    return out;
  }

  @Test
  void everyStepAndEveryOptionIsDocumentedAndNothingElse() throws Exception {
    Map<String, Map<String, Boolean>> documented = documented();
    assertThat(documented.keySet()).containsExactlyInAnyOrderElementsOf(PluginClasses.stepsAndBuilders().keySet());
    PluginClasses.stepsAndBuilders().forEach((name, type) -> {
      Map<String, Boolean> options = documented.get(name);
      assertThat(options.keySet()).as("options of %s in docs/steps.md", name)
          .containsExactlyInAnyOrderElementsOf(PluginClasses.options(type));
      for (String required : PluginClasses.required(type)) {
        assertThat(options.get(required)).as("%s.%s is marked (required)", name, required).isTrue();
      }
      for (String optional : PluginClasses.optional(type)) {
        assertThat(options.get(optional)).as("%s.%s is not marked (required)", name, optional).isFalse();
      }
    });
  }

  @Test
  void theConfigurationAsCodeExampleShowsEverySetting() throws Exception {
    String text = Files.readString(PluginClasses.repoRoot().resolve("docs/configuration.md"));
    Matcher yaml = Pattern.compile("(?s)```yaml\\n(.*?)```").matcher(text);
    assertThat(yaml.find()).as("docs/configuration.md has a yaml block").isTrue();
    String block = yaml.group(1);
    assertThat(block).contains("kubeflowPipelines:");
    for (String option : PluginClasses.options(KubeflowPipelinesConfiguration.class)) {
      assertThat(block).as("global setting %s", option).containsPattern("(?m)^\\s+" + option + ":");
    }
    for (String option : PluginClasses.options(KfpEndpoint.class)) {
      assertThat(block).as("endpoint setting %s", option).containsPattern("(?m)^\\s+(- )?" + option + ":");
    }
  }
}

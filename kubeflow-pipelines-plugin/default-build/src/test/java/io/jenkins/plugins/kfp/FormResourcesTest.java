package io.jenkins.plugins.kfp;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.kfp.view.KfpRunAction;
import io.jenkins.plugins.kfp.view.KfpTrendAction;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;

/**
 * Every form field has its config.jelly entry and its help file (the Snippet Generator and the
 * configuration pages show them), and every Jelly view is well-formed XML that escapes by default.
 */
class FormResourcesTest {
  /** Maps and lists of text cannot be edited in a form: Pipeline steps take them in the script (their help says so). */
  private static final Set<String> SCRIPT_ONLY = Set.of("params", "rules", "warnRules", "nodeSelectors", "tolerations");

  private static String resource(Class<?> type, String name) throws Exception {
    String path = type.getName().replace('.', '/') + "/" + name;
    try (InputStream in = type.getClassLoader().getResourceAsStream(path)) {
      assertThat(in).as(path).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void everyFieldHasAFormEntryAndHelp() throws Exception {
    for (Class<?> type : PluginClasses.configurables()) {
      String form = resource(type, "config.jelly");
      for (String option : PluginClasses.options(type)) {
        assertThat(resource(type, "help-" + option + ".html")).as("help of %s.%s", type.getSimpleName(), option)
            .contains("<div>").hasSizeGreaterThan(60);
        boolean scriptOnly = SCRIPT_ONLY.contains(option) && type.getPackageName().endsWith(".steps");
        if (!scriptOnly) {
          assertThat(form).as("config.jelly of %s", type.getSimpleName()).contains("field=\"" + option + "\"");
        }
      }
    }
  }

  @Test
  void everyStepAndTheBuilderExplainThemselves() throws Exception {
    for (Class<?> type : PluginClasses.stepsAndBuilders().values()) {
      assertThat(resource(type, "help.html")).hasSizeGreaterThan(100);
    }
  }

  @Test
  void viewsAreWellFormedAndEscapeByDefault() throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setNamespaceAware(true);
    List<Object[]> views = List.of(new Object[] {KfpRunAction.class, "index.jelly"},
        new Object[] {KfpRunAction.class, "summary.jelly"}, new Object[] {KfpTrendAction.class, "index.jelly"});
    for (Class<?> type : PluginClasses.configurables()) {
      String text = resource(type, "config.jelly");
      assertThat(text).startsWith("<?jelly escape-by-default='true'?>");
      factory.newDocumentBuilder().parse(new java.io.ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }
    for (Object[] view : views) {
      String text = resource((Class<?>) view[0], (String) view[1]);
      assertThat(text).as("%s", view[1]).startsWith("<?jelly escape-by-default='true'?>").doesNotContain("<script");
      factory.newDocumentBuilder().parse(new java.io.ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }
  }
}

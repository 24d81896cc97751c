package io.kfpci.validate;

import static org.assertj.core.api.Assertions.assertThat;

import io.kfpci.problem.Rule;
import io.kfpci.testing.RepoPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** docs/validation-rules.md documents every rule under its id and title, and nothing else. */
class ValidationRulesDocTest {
  private static final String DOC = "docs/validation-rules.md";

  private static List<String> lines() throws IOException {
    return Files.readAllLines(RepoPaths.repoRoot().resolve(DOC));
  }

  private static String heading(Rule rule) {
    return "### " + rule.id() + ": " + rule.title();
  }

  @Test
  void everyRuleHasASectionWithExampleMessageAndFix() throws IOException {
    List<String> lines = lines();
    for (Rule rule : Rule.values()) {
      int start = lines.indexOf(heading(rule));
      assertThat(start).as("%s has no section '%s' in %s", rule, heading(rule), DOC).isNotNegative();
      int end = start + 1;
      while (end < lines.size() && !lines.get(end).startsWith("#")) {
        end++;
      }
      String section = String.join("\n", lines.subList(start, end));
      assertThat(section).as("section of %s", rule.id())
          .contains("```")                       // an example of the problem and the message
          .contains(rule.id() + ": ")            // the message as kfpci prints it
          .contains("**Fix:**");
    }
  }

  @Test
  void everyDocumentedRuleExists() throws IOException {
    List<String> documented = lines().stream().filter(l -> l.startsWith("### KFP")).toList();

    assertThat(documented).containsExactlyElementsOf(
        Arrays.stream(Rule.values()).map(ValidationRulesDocTest::heading).toList());
  }

  @Test
  void theIndexLinksEveryRuleToItsSection() throws IOException {
    List<String> lines = lines();
    for (Rule rule : Rule.values()) {
      String link = "| [" + rule.id() + "](#" + anchor(heading(rule).substring(4)) + ") |";
      assertThat(lines).as("index row of %s", rule.id()).anyMatch(l -> l.startsWith(link));
    }
  }

  /** The anchor GitHub gives a heading: lower case, punctuation dropped, spaces to dashes. */
  private static String anchor(String heading) {
    return heading.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9 _-]", "").replace(' ', '-');
  }
}

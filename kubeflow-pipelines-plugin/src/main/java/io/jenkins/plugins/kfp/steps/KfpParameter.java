package io.jenkins.plugins.kfp.steps;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.Extension;
import hudson.model.Describable;
import hudson.model.Descriptor;
import io.jenkins.plugins.kfp.Messages;
import io.jenkins.plugins.kfp.internal.StepParameters;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;

/**
 * One run parameter as a name and its text, the form of {@code parameters} that the Snippet
 * Generator can edit and the steps reference can document: {@code parameters: [kfpParameter(name:
 * 'n_estimators', value: '50')]}. Scripts may keep writing {@code params: [n_estimators: 50]}; a
 * step takes both and refuses a name given twice. The text is typed against the pipeline's inputs
 * like a {@code params} value: numbers and booleans as written, lists and maps as JSON.
 */
public class KfpParameter implements Describable<KfpParameter> {
  private final String name;
  private final String value;

  @DataBoundConstructor
  public KfpParameter(String name, String value) {
    this.name = Objects.requireNonNullElse(name, "").strip();
    this.value = Objects.requireNonNullElse(value, "");
  }

  public String getName() {
    return name;
  }

  public String getValue() {
    return value;
  }

  /** A step's run parameters as text, for the agent: {@link #merge} with an error that ends the step. */
  static LinkedHashMap<String, String> runParameters(Map<String, Object> params, List<KfpParameter> parameters)
      throws AbortException {
    try {
      return merge(StepParameters.asText(params), parameters);
    } catch (IllegalArgumentException e) {
      throw new AbortException(e.getMessage());
    }
  }

  /**
   * The run parameters of a step: its {@code params} (already as text) followed by its
   * {@code parameters} entries, in order.
   *
   * @throws IllegalArgumentException for an entry without a name, or a name given twice
   */
  static LinkedHashMap<String, String> merge(Map<String, String> params, List<KfpParameter> parameters) {
    LinkedHashMap<String, String> out = new LinkedHashMap<>(params);
    for (int i = 0; i < parameters.size(); i++) {
      KfpParameter parameter = parameters.get(i);
      if (parameter.getName().isEmpty()) {
        throw new IllegalArgumentException("run parameter " + (i + 1) + " of parameters has no name");
      }
      if (out.putIfAbsent(parameter.getName(), parameter.getValue()) != null) {
        throw new IllegalArgumentException("run parameter '" + parameter.getName()
            + "' is given twice (in params and parameters, or twice in parameters)");
      }
    }
    return out;
  }

  @Extension
  @Symbol("kfpParameter")
  public static class DescriptorImpl extends Descriptor<KfpParameter> {
    @NonNull
    @Override
    public String getDisplayName() {
      return Messages.KfpParameter_DisplayName();
    }
  }
}

package io.kfpci.emulator;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * Deterministic failure hooks: the first {@code times} requests matching a method and a path pattern
 * fail in a chosen way. Random faults (a share of calls) belong in a proxy in front of the emulator;
 * these hooks are for exact scenarios ("the create's response is lost once").
 */
public final class FaultPlan {
  /** How a matching request fails. */
  public enum Kind {
    /** Answer {@code status} before handling: nothing changes on the server. */
    REJECT,
    /** Handle the request (the server's state changes), then answer {@code status}: a lost response. */
    LOSE_RESPONSE
  }

  /** One rule; {@code remaining} counts down as it fires. */
  public record Rule(String method, Pattern path, Kind kind, int status, AtomicInteger remaining) {
    public Rule {
      Objects.requireNonNull(method, "method");
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(kind, "kind");
      if (status < 400 || status > 599) {
        throw new IllegalArgumentException("a fault answers an HTTP error status (400-599), not " + status);
      }
    }

    boolean matches(String requestMethod, String requestPath) {
      return method.equalsIgnoreCase(requestMethod) && path.matcher(requestPath).matches();
    }
  }

  private final List<Rule> rules;

  private FaultPlan(List<Rule> rules) {
    this.rules = List.copyOf(rules);
  }

  public static FaultPlan none() {
    return new FaultPlan(List.of());
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The rule that fires for this request (counting it down), if any. */
  public java.util.Optional<Rule> fire(String method, String path) {
    for (Rule rule : rules) {
      if (rule.matches(method, path)) {
        int left = rule.remaining().getAndUpdate(n -> n > 0 ? n - 1 : 0);
        if (left > 0) {
          return java.util.Optional.of(rule);
        }
      }
    }
    return java.util.Optional.empty();
  }

  public static final class Builder {
    private final List<Rule> rules = new ArrayList<>();

    /** The first {@code times} requests {@code method} to a path matching {@code pathRegex} get {@code status}. */
    public Builder reject(String method, String pathRegex, int times, int status) {
      return add(method, pathRegex, Kind.REJECT, times, status);
    }

    /** The first {@code times} matching requests are carried out, but their answer is {@code status}. */
    public Builder loseResponse(String method, String pathRegex, int times, int status) {
      return add(method, pathRegex, Kind.LOSE_RESPONSE, times, status);
    }

    private Builder add(String method, String pathRegex, Kind kind, int times, int status) {
      if (times < 1) {
        throw new IllegalArgumentException("times must be at least 1, not " + times);
      }
      rules.add(new Rule(method, Pattern.compile(pathRegex), kind, status, new AtomicInteger(times)));
      return this;
    }

    public FaultPlan build() {
      return new FaultPlan(rules);
    }
  }
}

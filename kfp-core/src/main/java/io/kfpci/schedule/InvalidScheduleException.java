package io.kfpci.schedule;

import java.util.Objects;

/**
 * A schedule declaration refused before any call. It names the field in the builder's terms
 * ({@code maxConcurrency must be 1 to 10 ...}); a front end that calls the field otherwise (the
 * command line's {@code --max-concurrency}) says it in its own terms from {@link #field()} and
 * {@link #reason()}. An {@link IllegalArgumentException}, as every builder's refusal is: the input
 * is wrong, and no call was made.
 */
public final class InvalidScheduleException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** The fields a declaration can be refused for, with their builder names. */
  public enum Field {
    NAME("name"), EXPERIMENT("experiment"), MAX_CONCURRENCY("maxConcurrency");

    private final String property;

    Field(String property) {
      this.property = property;
    }

    /** The builder's (and the plugin step's) name of the field. */
    public String property() {
      return property;
    }
  }

  private final Field field;
  private final String reason;

  public InvalidScheduleException(Field field, String reason) {
    super(field.property() + " " + reason);
    this.field = Objects.requireNonNull(field, "field");
    this.reason = reason;
  }

  public Field field() {
    return field;
  }

  /** What is wrong, without the field's name, e.g. {@code must be 1 to 10 (KFP's range), not 11}. */
  public String reason() {
    return reason;
  }
}

package io.kfpci.client;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A cron expression as KFP parses it (robfig/cron v1: six fields, seconds first, FACTS 1.7). A
 * five-field expression, as people write it ({@code 0 0 * * *}), is converted by putting a zero
 * seconds field first, and {@link #converted()} says so. An invalid expression is refused with the
 * reason before anything is sent.
 *
 * @param given what the user wrote
 * @param kfp what KFP gets
 */
public record CronExpression(String given, String kfp) {

  private record Field(String name, int min, int max, List<String> names) {}

  private static final List<String> MONTHS = List.of("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP",
      "OCT", "NOV", "DEC");
  private static final List<String> DAYS = List.of("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT");
  private static final List<Field> FIELDS = List.of(
      new Field("seconds", 0, 59, List.of()), new Field("minutes", 0, 59, List.of()),
      new Field("hours", 0, 23, List.of()), new Field("day of month", 1, 31, List.of()),
      new Field("month", 1, 12, MONTHS), new Field("day of week", 0, 6, DAYS));
  private static final List<String> DESCRIPTORS = List.of("@yearly", "@annually", "@monthly", "@weekly", "@daily",
      "@midnight", "@hourly");

  public CronExpression {
    Objects.requireNonNull(given, "given");
    Objects.requireNonNull(kfp, "kfp");
  }

  public boolean converted() {
    return !given.strip().replaceAll("\\s+", " ").equals(kfp);
  }

  public static CronExpression parse(String expression) {
    if (expression == null || expression.isBlank()) {
      throw new IllegalArgumentException("the cron expression is empty");
    }
    String text = expression.strip().replaceAll("\\s+", " ");
    if (text.startsWith("@")) {
      if (DESCRIPTORS.contains(text.toLowerCase(Locale.ROOT)) || text.toLowerCase(Locale.ROOT).matches("@every \\d+(ns|us|ms|s|m|h)(\\d+(ns|us|ms|s|m|h))*")) {
        return new CronExpression(expression, text);
      }
      throw new IllegalArgumentException("cron '" + expression + "': unknown descriptor; use one of " + DESCRIPTORS
          + " or '@every 1h30m'");
    }
    String[] parts = text.split(" ");
    String six;
    if (parts.length == 5) {
      six = "0 " + text;
    } else if (parts.length == 6) {
      six = text;
    } else {
      throw new IllegalArgumentException("cron '" + expression + "' has " + parts.length + " fields; give 5 (minute hour "
          + "day-of-month month day-of-week) or 6 (seconds first, as KFP parses it)");
    }
    String[] fields = six.split(" ");
    for (int i = 0; i < 6; i++) {
      check(expression, FIELDS.get(i), fields[i]);
    }
    return new CronExpression(expression, six);
  }

  private static void check(String expression, Field field, String value) {
    for (String item : value.split(",", -1)) {
      String problem = item(field, item);
      if (problem != null) {
        throw new IllegalArgumentException("cron '" + expression + "': " + field.name() + " field '" + value + "': " + problem);
      }
    }
  }

  private static String item(Field field, String item) {
    if (item.isEmpty()) {
      return "an empty list item";
    }
    String range = item;
    int slash = item.indexOf('/');
    if (slash >= 0) {
      range = item.substring(0, slash);
      String step = item.substring(slash + 1);
      if (!step.matches("\\d{1,3}") || Integer.parseInt(step) == 0) {
        return "the step '" + step + "' must be a positive number";
      }
    }
    if (range.equals("*") || (range.equals("?") && (field.name().startsWith("day")))) {
      return null;
    }
    String[] ends = range.split("-", -1);
    if (ends.length > 2) {
      return "'" + range + "' is not a value or a range";
    }
    int[] values = new int[ends.length];
    for (int i = 0; i < ends.length; i++) {
      Integer v = value(field, ends[i]);
      if (v == null) {
        return "'" + ends[i] + "' is not a number" + (field.names().isEmpty() ? "" : " or a name like " + field.names().get(0));
      }
      if (v < field.min() || v > field.max()) {
        return ends[i] + " is out of range " + field.min() + "-" + field.max();
      }
      values[i] = v;
    }
    if (values.length == 2 && values[0] > values[1]) {
      return "the range " + range + " runs backwards";
    }
    return null;
  }

  private static Integer value(Field field, String s) {
    if (s.matches("\\d{1,2}")) {
      return Integer.parseInt(s);
    }
    int i = field.names().indexOf(s.toUpperCase(Locale.ROOT));
    if (i < 0) {
      return null;
    }
    return field.name().equals("month") ? i + 1 : i;
  }
}

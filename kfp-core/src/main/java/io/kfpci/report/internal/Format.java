package io.kfpci.report.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Human forms of times, durations, sizes and numbers. Locale-independent and free of the wall
 * clock, so the same summary always gives the same page.
 */
public final class Format {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC);

  private Format() {}

  /** {@code 2025-06-01 10:15:02 UTC}, or "" for null. */
  public static String time(Instant instant) {
    return instant == null ? "" : TIME.format(instant);
  }

  /** {@code 0.4s}, {@code 12s}, {@code 3m 05s}, {@code 2h 03m}; "" when either end is missing. */
  public static String duration(Instant start, Instant end) {
    if (start == null || end == null) {
      return "";
    }
    return duration(Duration.between(start, end));
  }

  public static String duration(Duration duration) {
    long millis = Math.max(0, duration.toMillis());
    if (millis < 10_000) {
      // One decimal keeps short tasks apart (0.4s vs 3.2s) without pretending to more precision.
      return String.format(Locale.ROOT, "%.1fs", millis / 1000.0);
    }
    long seconds = millis / 1000;
    if (seconds < 60) {
      return seconds + "s";
    }
    if (seconds < 3600) {
      return String.format(Locale.ROOT, "%dm %02ds", seconds / 60, seconds % 60);
    }
    return String.format(Locale.ROOT, "%dh %02dm", seconds / 3600, (seconds % 3600) / 60);
  }

  /** The start of a task relative to the run's: {@code +12s}. */
  public static String offset(Instant runStart, Instant taskStart) {
    if (runStart == null || taskStart == null) {
      return "";
    }
    Duration d = Duration.between(runStart, taskStart);
    return d.isNegative() ? "-" + duration(d.negated()) : "+" + duration(d);
  }

  /** A metric value: integers without a fraction, others to six significant digits. */
  public static String number(double value) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      return Double.toString(value);
    }
    if (value == Math.rint(value) && Math.abs(value) < 1e15) {
      return Long.toString((long) value);
    }
    BigDecimal rounded = new BigDecimal(value).round(new MathContext(6)).stripTrailingZeros();
    double magnitude = Math.abs(value);
    return magnitude >= 1e-4 && magnitude < 1e15 ? rounded.toPlainString() : rounded.toString();
  }

  /** {@code 812 B}, {@code 1.4 KiB}, {@code 12.0 MiB}; "unknown" for a negative size. */
  public static String bytes(long size) {
    if (size < 0) {
      return "unknown";
    }
    if (size < 1024) {
      return size + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    double value = size;
    int unit = -1;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit++;
    }
    return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
  }

  /** A parameter value: strings as they are, everything else as JSON. */
  public static String json(JsonNode value) {
    if (value == null || value.isNull()) {
      return "null";
    }
    return value.isTextual() ? value.textValue() : value.toString();
  }

  /** {@code 1,234}. */
  public static String count(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  /** Lower-case state word for text: {@code succeeded}. */
  public static String word(io.kfpci.report.RuntimeState state) {
    return state.name().toLowerCase(Locale.ROOT);
  }
}

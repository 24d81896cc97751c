package io.kfpci.emulator.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small, strict multipart/form-data reader (RFC 7578) for the upload endpoints, whose bodies are
 * bounded (32 MiB) and held in memory. Only what Go's {@code r.FormFile} needs: each part's name,
 * file name and bytes.
 */
public final class Multipart {
  private static final Pattern BOUNDARY = Pattern.compile("boundary=(?:\"([^\"]+)\"|([^;\\s]+))",
      Pattern.CASE_INSENSITIVE);
  private static final Pattern NAME = Pattern.compile("(?:^|;)\\s*name=\"([^\"]*)\"", Pattern.CASE_INSENSITIVE);
  private static final Pattern FILENAME = Pattern.compile(";\\s*filename=\"([^\"]*)\"", Pattern.CASE_INSENSITIVE);

  /** One part of the form. */
  public record Part(String name, Optional<String> filename, byte[] content) {}

  private Multipart() {}

  /** The parts, or empty when the content type is not multipart or the body is malformed. */
  public static Optional<List<Part>> parse(String contentType, byte[] body) {
    if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
      return Optional.empty();
    }
    Matcher m = BOUNDARY.matcher(contentType);
    if (!m.find()) {
      return Optional.empty();
    }
    byte[] delimiter = ("--" + (m.group(1) != null ? m.group(1) : m.group(2))).getBytes(StandardCharsets.ISO_8859_1);
    List<Part> parts = new ArrayList<>();
    int at = indexOf(body, delimiter, 0);
    if (at < 0) {
      return Optional.empty();
    }
    while (true) {
      int afterDelimiter = at + delimiter.length;
      if (afterDelimiter + 1 < body.length && body[afterDelimiter] == '-' && body[afterDelimiter + 1] == '-') {
        return Optional.of(parts);
      }
      int headersStart = skipLineBreak(body, afterDelimiter);
      int headersEnd = indexOf(body, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), headersStart);
      if (headersStart < 0 || headersEnd < 0) {
        return Optional.empty();
      }
      String headers = new String(body, headersStart, headersEnd - headersStart, StandardCharsets.UTF_8);
      int contentStart = headersEnd + 4;
      byte[] nextDelimiter = concat("\r\n".getBytes(StandardCharsets.ISO_8859_1), delimiter);
      int next = indexOf(body, nextDelimiter, contentStart);
      if (next < 0) {
        return Optional.empty();
      }
      byte[] content = java.util.Arrays.copyOfRange(body, contentStart, next);
      String disposition = "";
      for (String line : headers.split("\r\n")) {
        int colon = line.indexOf(':');
        if (colon > 0 && line.substring(0, colon).strip().equalsIgnoreCase("content-disposition")) {
          disposition = line.substring(colon + 1);
        }
      }
      Matcher name = NAME.matcher(disposition);
      Matcher filename = FILENAME.matcher(disposition);
      parts.add(new Part(name.find() ? name.group(1) : "",
          filename.find() ? Optional.of(filename.group(1)) : Optional.empty(), content));
      at = next + 2;
    }
  }

  private static int skipLineBreak(byte[] body, int at) {
    if (at + 1 < body.length && body[at] == '\r' && body[at + 1] == '\n') {
      return at + 2;
    }
    return -1;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  static int indexOf(byte[] haystack, byte[] needle, int from) {
    outer:
    for (int i = Math.max(0, from); i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}

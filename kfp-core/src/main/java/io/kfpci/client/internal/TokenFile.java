package io.kfpci.client.internal;

import io.kfpci.client.KfpApiException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;

/**
 * A bearer token in a file, read again whenever the file's modification time or size changes
 * (the kubelet rotates projected service account tokens in place). Thread-safe.
 */
public final class TokenFile {
  private final Path file;
  private FileTime readAt;
  private long size = -1;
  private String token;

  public TokenFile(Path file) {
    this.file = file;
  }

  public synchronized String token() throws KfpApiException {
    try {
      FileTime modified = Files.getLastModifiedTime(file);
      long length = Files.size(file);
      if (token == null || !modified.equals(readAt) || length != size) {
        if (length > 64 * 1024) {
          throw fail("is larger than 64 KiB; it is not a token file", null);
        }
        String text = Files.readString(file, StandardCharsets.UTF_8).strip();
        if (text.isEmpty()) {
          throw fail("is empty", null);
        }
        token = text;
        readAt = modified;
        size = length;
      }
      return token;
    } catch (IOException e) {
      throw fail("cannot be read (" + e.getClass().getSimpleName() + ")", e);
    }
  }

  private KfpApiException fail(String what, Throwable cause) {
    return new KfpApiException("the token file " + file + " " + what, 0, "", "", "", false, cause);
  }
}

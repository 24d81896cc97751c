package io.kfpci.client.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** A multipart/form-data body with one file part, as the upload endpoints take it. */
public record Multipart(String contentType, byte[] body) {

  public static Multipart file(String field, String fileName, byte[] content) {
    String boundary = "kfpci-" + UUID.randomUUID();
    String safeName = fileName.replaceAll("[\"\\r\\n\\\\]", "_");
    ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 512);
    out.writeBytes(("--" + boundary + "\r\n"
        + "Content-Disposition: form-data; name=\"" + field + "\"; filename=\"" + safeName + "\"\r\n"
        + "Content-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
    out.writeBytes(content);
    out.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    return new Multipart("multipart/form-data; boundary=" + boundary, out.toByteArray());
  }
}

package io.kfpci.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An HTTP/1.1 proxy for tests that makes a share of the calls fail: a 503 before the request
 * reaches the server, a connection reset after the server handled it (the answer is lost), or an
 * answer held back past the client's read deadline (also after the server handled it). One request
 * per connection; the seed makes a run reproducible.
 */
final class FaultyProxy implements AutoCloseable {
  enum Fault { NONE, UNAVAILABLE, RESET_AFTER, TIMEOUT_AFTER }

  private final ServerSocket server;
  private final URI target;
  private final double failureRate;
  private final long holdMillis;
  private final Random random;
  private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "faulty-proxy");
    t.setDaemon(true);
    return t;
  });
  private final Map<Fault, AtomicLong> counts = new ConcurrentHashMap<>();
  private volatile boolean open = true;

  FaultyProxy(URI target, double failureRate, long holdMillis, long seed) throws IOException {
    this.target = target;
    this.failureRate = failureRate;
    this.holdMillis = holdMillis;
    this.random = new Random(seed);
    this.server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
    for (Fault f : Fault.values()) {
      counts.put(f, new AtomicLong());
    }
    pool.execute(this::accept);
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + server.getLocalPort());
  }

  long count(Fault fault) {
    return counts.get(fault).get();
  }

  private Fault draw() {
    synchronized (random) {
      if (random.nextDouble() >= failureRate) {
        return Fault.NONE;
      }
      return Fault.values()[1 + random.nextInt(3)];
    }
  }

  private void accept() {
    while (open) {
      try {
        Socket client = server.accept();
        pool.execute(() -> handle(client));
      } catch (IOException e) {
        return;
      }
    }
  }

  private void handle(Socket client) {
    try (client) {
      InputStream in = client.getInputStream();
      byte[] head = readHead(in);
      if (head == null) {
        return;
      }
      String headText = new String(head, StandardCharsets.ISO_8859_1);
      int length = contentLength(headText);
      byte[] body = in.readNBytes(length);
      Fault fault = draw();
      counts.get(fault).incrementAndGet();
      OutputStream out = client.getOutputStream();
      if (fault == Fault.UNAVAILABLE) {
        byte[] msg = "{\"code\":14,\"message\":\"upstream connect error\"}".getBytes(StandardCharsets.UTF_8);
        out.write(("HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nContent-Length: " + msg.length
            + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.write(msg);
        out.flush();
        return;
      }
      byte[] response = forward(headText, body);
      if (fault == Fault.RESET_AFTER) {
        client.setSoLinger(true, 0);
        return;
      }
      if (fault == Fault.TIMEOUT_AFTER) {
        Thread.sleep(holdMillis);
        client.setSoLinger(true, 0);
        return;
      }
      out.write(response);
      out.flush();
    } catch (IOException e) {
      // The client gave up (its own deadline): nothing to answer.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private byte[] forward(String headText, byte[] body) throws IOException {
    try (Socket upstream = new Socket(target.getHost(), target.getPort())) {
      StringBuilder head = new StringBuilder();
      for (String line : headText.split("\r\n")) {
        String lower = line.toLowerCase(Locale.ROOT);
        if (line.isEmpty() || lower.startsWith("connection:") || lower.startsWith("host:")) {
          continue;
        }
        head.append(line).append("\r\n");
      }
      head.append("Host: ").append(target.getHost()).append(':').append(target.getPort()).append("\r\n");
      head.append("Connection: close\r\n\r\n");
      OutputStream up = upstream.getOutputStream();
      up.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
      up.write(body);
      up.flush();
      byte[] all = upstream.getInputStream().readAllBytes();
      // Tell the client the connection closes after this answer.
      String text = new String(all, StandardCharsets.ISO_8859_1);
      int end = text.indexOf("\r\n\r\n");
      StringBuilder out = new StringBuilder();
      for (String line : text.substring(0, end).split("\r\n")) {
        if (!line.toLowerCase(Locale.ROOT).startsWith("connection:")) {
          out.append(line).append("\r\n");
        }
      }
      out.append("Connection: close\r\n\r\n");
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      bytes.writeBytes(out.toString().getBytes(StandardCharsets.ISO_8859_1));
      bytes.write(all, end + 4, all.length - end - 4);
      return bytes.toByteArray();
    }
  }

  private static byte[] readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    int b;
    while ((b = in.read()) >= 0) {
      head.write(b);
      matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3)) ? matched + 1 : 0;
      if (matched == 4) {
        return head.toByteArray();
      }
      if (head.size() > 64 * 1024) {
        throw new IOException("request head too long");
      }
    }
    return null;
  }

  private static int contentLength(String head) {
    for (String line : head.split("\r\n")) {
      if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
        return Integer.parseInt(line.substring(15).strip());
      }
    }
    return 0;
  }

  @Override
  public void close() throws IOException {
    open = false;
    server.close();
    pool.shutdownNow();
  }
}

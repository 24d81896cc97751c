package io.kfpci.artifacts.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import javax.net.SocketFactory;

/**
 * Plain sockets whose read timeout is never infinite: asked for none (0), they keep the given
 * deadline. OkHttp enforces its read timeout with Okio's watchdog, which takes a lock and queues
 * a deadline on every read of at most 8 KiB (a sixth of a CPU second per GiB, measured); a client
 * built with no read timeout and these sockets keeps the same bound through the kernel's
 * {@code SO_TIMEOUT} at no cost per read. TLS sockets are layered on these, so they inherit it.
 */
public final class ReadDeadlineSocketFactory extends SocketFactory {
  private final int deadlineMillis;

  /** @param deadlineMillis the longest a read may wait for a byte; positive */
  public ReadDeadlineSocketFactory(int deadlineMillis) {
    if (deadlineMillis < 1) {
      throw new IllegalArgumentException("read deadline must be positive, got " + deadlineMillis + " ms");
    }
    this.deadlineMillis = deadlineMillis;
  }

  @Override
  public Socket createSocket() throws SocketException {
    return new DeadlineSocket(deadlineMillis);
  }

  @Override
  public Socket createSocket(String host, int port) throws IOException {
    return connected(new InetSocketAddress(host, port), null);
  }

  @Override
  public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
    return connected(new InetSocketAddress(host, port), new InetSocketAddress(localHost, localPort));
  }

  @Override
  public Socket createSocket(InetAddress host, int port) throws IOException {
    return connected(new InetSocketAddress(host, port), null);
  }

  @Override
  public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
      throws IOException {
    return connected(new InetSocketAddress(address, port), new InetSocketAddress(localAddress, localPort));
  }

  private Socket connected(InetSocketAddress remote, InetSocketAddress local) throws IOException {
    Socket socket = new DeadlineSocket(deadlineMillis);
    try {
      if (local != null) {
        socket.bind(local);
      }
      socket.connect(remote, deadlineMillis);
      return socket;
    } catch (IOException e) {
      socket.close();
      throw e;
    }
  }

  private static final class DeadlineSocket extends Socket {
    private final int deadlineMillis;

    DeadlineSocket(int deadlineMillis) throws SocketException {
      this.deadlineMillis = deadlineMillis;
      super.setSoTimeout(deadlineMillis);
    }

    @Override
    public synchronized void setSoTimeout(int timeout) throws SocketException {
      super.setSoTimeout(timeout == 0 ? deadlineMillis : timeout);
    }
  }
}

package io.kfpci.cli;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;

/** A real S3 server (S3Proxy over an in-memory blob store) on a free port of 127.0.0.1, anonymous. */
final class S3TestServer implements AutoCloseable {
  private final BlobStoreContext context;
  private final S3Proxy proxy;

  private S3TestServer(BlobStoreContext context, S3Proxy proxy) {
    this.context = context;
    this.proxy = proxy;
  }

  /** Starts it with these (empty) buckets. */
  static S3TestServer start(String... buckets) throws Exception {
    BlobStoreContext context = ContextBuilder.newBuilder("transient").credentials("unused", "unused")
        .build(BlobStoreContext.class);
    try {
      BlobStore blobs = context.getBlobStore();
      for (String bucket : buckets) {
        blobs.createContainerInLocation(null, bucket);
      }
      S3Proxy proxy = S3Proxy.builder().blobStore(blobs).endpoint(URI.create("http://127.0.0.1:0"))
          .awsAuthentication(AuthenticationType.NONE, null, null).build();
      proxy.start();
      while (!AbstractLifeCycle.STARTED.equals(proxy.getState())) {
        Thread.sleep(10);
      }
      return new S3TestServer(context, proxy);
    } catch (Exception | Error e) {
      context.close();
      throw e;
    }
  }

  /** {@code http://127.0.0.1:<port>}, for --s3-endpoint. */
  String endpoint() {
    return "http://127.0.0.1:" + proxy.getPort();
  }

  void put(String bucket, String key, String content) {
    BlobStore blobs = context.getBlobStore();
    byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
    blobs.putBlob(bucket, blobs.blobBuilder(key).payload(bytes).contentLength(bytes.length).build());
  }

  @Override
  public void close() throws Exception {
    try {
      proxy.stop();
    } finally {
      context.close();
    }
  }
}

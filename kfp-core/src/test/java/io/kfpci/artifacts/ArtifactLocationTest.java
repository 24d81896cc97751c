package io.kfpci.artifacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ArtifactLocationTest {
  @Test
  void parsesMinioAndS3Uris() {
    assertThat(ArtifactLocation.parse("minio://mlpipeline/v2/artifacts/p/r/train/u/model", "x"))
        .isEqualTo(new ArtifactLocation("minio", "mlpipeline", "v2/artifacts/p/r/train/u/model"));
    assertThat(ArtifactLocation.parse("s3://models/train/dir/", "x"))
        .isEqualTo(new ArtifactLocation("s3", "models", "train/dir"));
    assertThat(ArtifactLocation.parse("minio:///v2/model", "mlpipeline"))
        .isEqualTo(new ArtifactLocation("minio", "mlpipeline", "v2/model"));
    assertThat(ArtifactLocation.parse("s3://b/k", "x").toString()).isEqualTo("s3://b/k");
  }

  @Test
  void refusesWhatCannotBeFetchedAsRecorded() {
    assertThatThrownBy(() -> ArtifactLocation.parse("minio://mlpipeline", "x"))
        .hasMessage("artifact URI 'minio://mlpipeline' names a bucket but no object key");
    assertThatThrownBy(() -> ArtifactLocation.parse("s3://b/a/./c", "x"))
        .hasMessage("artifact URI 's3://b/a/./c' has an empty, '.' or '..' path segment");
    assertThatThrownBy(() -> ArtifactLocation.parse("s3://b/a//c", "x"))
        .hasMessage("artifact URI 's3://b/a//c' has an empty, '.' or '..' path segment");
    assertThatThrownBy(() -> ArtifactLocation.parse("/tmp/model", "x"))
        .hasMessage("artifact URI '/tmp/model' is not in an S3-compatible store (minio:// or s3://);"
            + " download it with the tools of its store");
  }

  @Test
  void optionsNeverShowTheSecretAndValidate() {
    ObjectStoreOptions options = ObjectStoreOptions.builder().endpoint("http://localhost:9000")
        .credentials("minio", "minio123").build();
    assertThat(options.toString()).doesNotContain("minio123").contains("secretKey=****");
    assertThat(options.defaultBucket()).isEqualTo("mlpipeline");
    assertThatThrownBy(() -> ObjectStoreOptions.builder().endpoint("http://minio:minio123@localhost:9000").build())
        .hasMessage("object store endpoint must not carry credentials in the URL; give them as access and secret key");
    assertThatThrownBy(() -> ObjectStoreOptions.builder().endpoint("minio:minio123@localhost:9000").build())
        .hasMessage("object store endpoint must not carry credentials in the URL; give them as access and secret key");
    assertThatThrownBy(() -> ObjectStoreOptions.builder().endpoint("localhost:9000").build())
        .hasMessage("object store endpoint 'localhost:9000' is not an http:// or https:// URL with a host");
    assertThatThrownBy(() -> ObjectStoreOptions.builder().endpoint("http://localhost:9000")
        .credentials("minio", null).build())
        .hasMessage("object store credentials need both an access key and a secret key");
  }
}

package dev.mbl.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class S3ObjectRefTest {

  @Test
  void versionToken_eTagVersionAndSequencer_eTagWithoutQuotes() {
    S3ObjectRef object = new S3ObjectRef("landing", "orders/a.csv", 10, "\"9b2cf535f27731c974343645a3985328\"",
        "3HL4kqtJlcpXroDTDmjVBH40Nrjfkd", "0055AED6DCD90281E5");

    assertThat(object.eTag()).isEqualTo("9b2cf535f27731c974343645a3985328");
    assertThat(object.versionToken()).isEqualTo("e:9b2cf535f27731c974343645a3985328");
  }

  @Test
  void versionToken_noETag_versionId() {
    S3ObjectRef object = new S3ObjectRef("landing", "orders/a.csv", 10, null, "3HL4kqtJlcpXroDTDmjVBH40Nrjfkd",
        "0055AED6DCD90281E5");

    assertThat(object.versionToken()).isEqualTo("v:3HL4kqtJlcpXroDTDmjVBH40Nrjfkd");
  }

  @Test
  void versionToken_emptyETag_versionId() {
    assertThat(new S3ObjectRef("landing", "a.csv", 0, "", "v1", null).versionToken()).isEqualTo("v:v1");
    assertThat(new S3ObjectRef("landing", "a.csv", 0, "\"\"", "v1", null).versionToken()).isEqualTo("v:v1");
  }

  @Test
  void versionToken_unversionedBucketNullVersion_sequencer() {
    assertThat(new S3ObjectRef("landing", "a.csv", 0, null, "null", "0055AED6DCD90281E5").versionToken())
        .isEqualTo("s:0055AED6DCD90281E5");
    assertThat(new S3ObjectRef("landing", "a.csv", 0, null, "", "0055AED6DCD90281E5").versionToken())
        .isEqualTo("s:0055AED6DCD90281E5");
  }

  @Test
  void versionToken_nothingKnown_dash() {
    assertThat(new S3ObjectRef("landing", "a.csv", 0, null, null, null).versionToken()).isEqualTo("-");
  }

  @Test
  void url_bucketAndKey_s3Url() {
    assertThat(new S3ObjectRef("landing", "orders/a b.csv", 0, null, null, null).url())
        .isEqualTo("s3://landing/orders/a b.csv");
  }

  @Test
  void constructor_negativeSizeOrEmptyKey_rejectedNamingObject() {
    assertThatThrownBy(() -> new S3ObjectRef("landing", "a.csv", -1, null, null, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("s3://landing/a.csv")
        .hasMessageContaining("-1");
    assertThatThrownBy(() -> new S3ObjectRef("landing", "", 0, null, null, null))
        .isInstanceOf(IllegalArgumentException.class);
  }
}

package io.stagehand.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stagehand.core.InvalidInputException;
import io.stagehand.core.StoreException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** AES-GCM sealing: round trips, tampering, keys it lacks, and nothing of a key in any text. */
class AesGcmSecretCodecTest {
  private static final byte[] OLD = AesGcmSecretCodec.newKey();
  private static final byte[] NEW = AesGcmSecretCodec.newKey();
  private static final AesGcmSecretCodec CODEC =
      AesGcmSecretCodec.builder().currentKey("k-2", NEW).oldKey("k_1", OLD).build();

  @Test
  void sealedTextOpensToWhatWasSealedAndNamesItsKey() {
    for (String plain : List.of("", "s3cret", "\"ünï\" 日本 🚀\n", "x".repeat(1 << 20))) {
      String sealed = CODEC.seal(plain);
      assertThat(sealed).startsWith("v1:k-2:");
      assertThat(CODEC.keyIdOf(sealed)).isEqualTo("k-2");
      assertThat(CODEC.open(sealed)).isEqualTo(plain);
    }
    // a fresh IV every time: one text sealed twice gives two texts
    assertThat(CODEC.seal("same")).isNotEqualTo(CODEC.seal("same"));
    assertThat(Base64.getDecoder().decode(CODEC.seal("").substring("v1:k-2:".length()))).hasSize(12 + 16);
  }

  @Test
  void anOldKeyOpensWhatItSealedAndTheNewOneSeals() {
    AesGcmSecretCodec before = AesGcmSecretCodec.builder().currentKey("k_1", OLD).build();
    String sealed = before.seal("s3cret");
    assertThat(CODEC.keyIdOf(sealed)).isEqualTo("k_1");
    assertThat(CODEC.open(sealed)).isEqualTo("s3cret");
    assertThat(CODEC.currentKeyId()).isEqualTo("k-2");
  }

  @Test
  void anAlteredTextDoesNotOpen() {
    String sealed = CODEC.seal("s3cret");
    String body = sealed.substring("v1:k-2:".length());
    byte[] bytes = Base64.getDecoder().decode(body);
    for (int i = 0; i < bytes.length; i++) {
      byte[] flipped = bytes.clone();
      flipped[i] ^= 1;
      String altered = "v1:k-2:" + Base64.getEncoder().encodeToString(flipped);
      assertThatThrownBy(() -> CODEC.open(altered)).as("byte " + i).isInstanceOf(StoreException.class)
          .hasMessageContaining("does not open").hasMessageNotContaining("s3cret");
    }
    // the key id is authenticated: the same ciphertext moved under the other key does not open
    assertThatThrownBy(() -> CODEC.open("v1:k_1:" + body)).isInstanceOf(StoreException.class)
        .hasMessageContaining("does not open");
    for (String broken : List.of("v1:k-2:" + body.substring(0, 20), "v1:k-2:%%%", "v2:k-2:" + body, "v1:k-2", "s3cret",
        "v1:a b:" + body)) {
      assertThatThrownBy(() -> CODEC.open(broken)).as(broken).isInstanceOf(StoreException.class)
          .hasMessageNotContaining("s3cret");
    }
  }

  @Test
  void aKeyTheCodecLacksIsNamedAndAWrongKeyIsRefused() {
    String sealed = AesGcmSecretCodec.builder().currentKey("k0", AesGcmSecretCodec.newKey()).build().seal("s3cret");
    assertThatThrownBy(() -> CODEC.open(sealed)).isInstanceOf(StoreException.class)
        .hasMessageContaining("\"k0\"").hasMessageContaining("oldKey").hasMessageNotContaining("s3cret");
    AesGcmSecretCodec impostor = AesGcmSecretCodec.builder().currentKey("k-2", AesGcmSecretCodec.newKey()).build();
    assertThatThrownBy(() -> impostor.open(CODEC.seal("s3cret"))).isInstanceOf(StoreException.class)
        .hasMessageContaining("\"k-2\" does not open").hasMessageNotContaining("s3cret");
  }

  @Test
  void noTextShowsAKey() {
    for (String text : List.of(CODEC.toString(), AesGcmSecretCodec.builder().currentKey("k", NEW).toString())) {
      assertThat(text).contains("k").doesNotContain(Base64.getEncoder().encodeToString(NEW),
          HexFormat.of().formatHex(NEW), HexFormat.of().withUpperCase().formatHex(NEW));
    }
    assertThat(CODEC.toString()).isEqualTo("AesGcmSecretCodec[current=k-2, keys=[k-2, k_1]]");
  }

  @Test
  void badKeysAndIdsAreRefusedWithoutShowingTheKey() {
    assertThat(AesGcmSecretCodec.newKey()).hasSize(32).isNotEqualTo(AesGcmSecretCodec.newKey());
    byte[] shortKey = new byte[16];
    assertThatThrownBy(() -> AesGcmSecretCodec.builder().currentKey("k", shortKey))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("has 16 bytes");
    for (String id : new String[] {"", "a:b", "a".repeat(65), "ü"}) {
      assertThatThrownBy(() -> AesGcmSecretCodec.builder().currentKey(id, NEW))
          .isInstanceOf(InvalidInputException.class).hasMessageStartingWith("invalid key id");
    }
    assertThatThrownBy(() -> AesGcmSecretCodec.builder().currentKey("k", NEW).oldKey("k", OLD))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("given twice");
    assertThatThrownBy(() -> AesGcmSecretCodec.builder().oldKey("k", OLD).build())
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("needs its current key");
    // the builder keeps a copy: changing the array afterwards changes nothing
    byte[] key = AesGcmSecretCodec.newKey();
    AesGcmSecretCodec codec = AesGcmSecretCodec.builder().currentKey("k", key).build();
    String sealed = codec.seal("s3cret");
    key[0] ^= 1;
    assertThat(codec.open(sealed)).isEqualTo("s3cret");
  }
}

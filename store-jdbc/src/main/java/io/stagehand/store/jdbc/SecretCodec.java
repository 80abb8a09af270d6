package io.stagehand.store.jdbc;

import io.stagehand.core.StagehandException;
import io.stagehand.core.StoreException;

/**
 * Seals and opens the sensitive values a {@link JdbcStore} keeps, so that they are stored encrypted
 * ({@link JdbcStore.Builder#secrets}). {@link AesGcmSecretCodec} is the implementation that ships;
 * this interface lets a deployment bring its own (a KMS, an HSM).
 *
 * <p>A sealed text names the key that sealed it ({@link #keyIdOf}), so that a codec can hold old
 * keys for reading while it seals under a new one, and {@link JdbcStore#rotateSecrets()} can find
 * what is not under the current key yet. An implementation must be safe to call from several threads
 * at once, and no message it produces (its exceptions included) may contain a plaintext or key
 * material. Sealed texts must be printable text without the NUL character, at most 2^28 - 1
 * characters long (PostgreSQL's {@code jsonb} holds no larger document).
 */
public interface SecretCodec {
  /** The id of the key {@link #seal} uses now; a short name, never the key itself. */
  String currentKeyId();

  /** {@code plaintext} sealed under the current key; two seals of one text differ. */
  String seal(String plaintext);

  /**
   * The plaintext that {@code sealed} holds, or a {@link io.stagehand.core.StoreException} (a
   * {@link io.stagehand.core.StagehandException}) when the key it names is unknown to this codec,
   * when the key is not the one it was sealed with, or when the text was altered.
   */
  String open(String sealed);

  /**
   * The id of the key that sealed {@code sealed}, read without opening it; a
   * {@link io.stagehand.core.StoreException} if the text is not in this codec's sealed form.
   */
  String keyIdOf(String sealed);
}

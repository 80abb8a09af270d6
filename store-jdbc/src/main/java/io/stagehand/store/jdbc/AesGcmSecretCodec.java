package io.stagehand.store.jdbc;

import io.stagehand.core.InvalidInputException;
import io.stagehand.core.StoreException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The {@link SecretCodec} that ships with the JDBC store: AES-256 in GCM mode from the JDK's own
 * crypto, a fresh random 12-byte IV for every seal and a 128-bit tag. A sealed text reads
 * {@code v1:<key id>:<base64 of IV and ciphertext>}; the prefix with the key id is authenticated with
 * the ciphertext, so a text moved to another key id, or altered anywhere, does not open.
 *
 * <pre>{@code
 * SecretCodec secrets = AesGcmSecretCodec.builder()
 *     .currentKey("2027-01", newKeyBytes)   // seals from now on
 *     .oldKey("2026-06", oldKeyBytes)       // still opens what it sealed
 *     .build();
 * }</pre>
 *
 * <p>Key ids are 1-64 ASCII letters, digits, {@code _} and {@code -}; keys are 32 bytes
 * ({@link #newKey()} makes one). {@link #toString()} names the key ids, never the keys.
 */
public final class AesGcmSecretCodec implements SecretCodec {
  private static final String FORMAT = "v1";
  private static final String TRANSFORMATION = "AES/GCM/NoPadding";
  private static final int KEY_BYTES = 32;
  private static final int IV_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
  private static final SecureRandom RANDOM = new SecureRandom();

  private final String currentKeyId;
  /** Every key this codec opens with, the current one included, by id. */
  private final Map<String, SecretKeySpec> keys;

  private AesGcmSecretCodec(String currentKeyId, Map<String, SecretKeySpec> keys) {
    this.currentKeyId = currentKeyId;
    this.keys = Map.copyOf(keys);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A new random 256-bit key, from {@link SecureRandom}. */
  public static byte[] newKey() {
    byte[] key = new byte[KEY_BYTES];
    RANDOM.nextBytes(key);
    return key;
  }

  @Override
  public String currentKeyId() {
    return currentKeyId;
  }

  @Override
  public String seal(String plaintext) {
    Objects.requireNonNull(plaintext, "plaintext");
    byte[] iv = new byte[IV_BYTES];
    RANDOM.nextBytes(iv);
    byte[] sealed;
    try {
      Cipher cipher = Cipher.getInstance(TRANSFORMATION);
      cipher.init(Cipher.ENCRYPT_MODE, keys.get(currentKeyId), new GCMParameterSpec(TAG_BITS, iv));
      cipher.updateAAD(header(currentKeyId));
      sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      // no plaintext in this message, and the JDK's own names none either
      throw new IllegalStateException("the JDK cannot seal with " + TRANSFORMATION + ": " + e.getClass().getName(), e);
    }
    byte[] out = Arrays.copyOf(iv, IV_BYTES + sealed.length);
    System.arraycopy(sealed, 0, out, IV_BYTES, sealed.length);
    return FORMAT + ":" + currentKeyId + ":" + Base64.getEncoder().encodeToString(out);
  }

  @Override
  public String open(String sealed) {
    String keyId = keyIdOf(sealed);
    SecretKeySpec key = keys.get(keyId);
    if (key == null) {
      throw new StoreException("a sealed value is under the key \"" + keyId + "\", which this AesGcmSecretCodec does "
          + "not hold (it holds " + new java.util.TreeSet<>(keys.keySet()) + "); add that key with oldKey(...) to read it");
    }
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(sealed.substring(FORMAT.length() + keyId.length() + 2));
    } catch (IllegalArgumentException e) {
      throw notSealed();
    }
    if (bytes.length < IV_BYTES + TAG_BITS / 8) {
      throw notSealed();
    }
    try {
      Cipher cipher = Cipher.getInstance(TRANSFORMATION);
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, bytes, 0, IV_BYTES));
      cipher.updateAAD(header(keyId));
      byte[] plain = cipher.doFinal(bytes, IV_BYTES, bytes.length - IV_BYTES);
      return new String(plain, StandardCharsets.UTF_8);
    } catch (AEADBadTagException e) {
      throw new StoreException("a sealed value under the key \"" + keyId + "\" does not open: the key given for \""
          + keyId + "\" is not the one it was sealed with, or the stored text was altered");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK cannot open with " + TRANSFORMATION + ": " + e.getClass().getName(), e);
    }
  }

  @Override
  public String keyIdOf(String sealed) {
    if (sealed == null || !sealed.startsWith(FORMAT + ":")) {
      throw notSealed();
    }
    int end = sealed.indexOf(':', FORMAT.length() + 1);
    if (end < 0) {
      throw notSealed();
    }
    String keyId = sealed.substring(FORMAT.length() + 1, end);
    if (!KEY_ID.matcher(keyId).matches()) {
      throw notSealed();
    }
    return keyId;
  }

  private static StoreException notSealed() {
    return new StoreException("a stored text is not a value sealed by AesGcmSecretCodec (v1:<key id>:<base64>)");
  }

  /** What is authenticated with the ciphertext: the format and the key id. */
  private static byte[] header(String keyId) {
    return (FORMAT + ":" + keyId).getBytes(StandardCharsets.US_ASCII);
  }

  /** The key ids, never the keys. */
  @Override
  public String toString() {
    return "AesGcmSecretCodec[current=" + currentKeyId + ", keys=" + new java.util.TreeSet<>(keys.keySet()) + "]";
  }

  /** Builds an {@link AesGcmSecretCodec}: one current key, and any number of older keys for reading. */
  public static final class Builder {
    private String currentKeyId;
    private final Map<String, byte[]> keys = new LinkedHashMap<>();

    private Builder() {}

    /** The key that seals from now on (and opens what it sealed): an id and 32 bytes. */
    public Builder currentKey(String keyId, byte[] key) {
      if (currentKeyId != null) {
        throw new InvalidInputException("the current key is set already (\"" + currentKeyId + "\"); add older keys with "
            + "oldKey(...)");
      }
      put(keyId, key);
      currentKeyId = keyId;
      return this;
    }

    /** A key that opens what it sealed before, for reading and for {@link JdbcStore#rotateSecrets()}. */
    public Builder oldKey(String keyId, byte[] key) {
      put(keyId, key);
      return this;
    }

    private void put(String keyId, byte[] key) {
      if (keyId == null || !KEY_ID.matcher(keyId).matches()) {
        throw new InvalidInputException("invalid key id: use 1-64 ASCII letters, digits, '_' and '-'");
      }
      if (key == null || key.length != KEY_BYTES) {
        throw new InvalidInputException("the key \"" + keyId + "\" has " + (key == null ? "no" : key.length)
            + " bytes; AES-256 keys have " + KEY_BYTES + " (AesGcmSecretCodec.newKey() makes one)");
      }
      if (keys.containsKey(keyId)) {
        throw new InvalidInputException("the key id \"" + keyId + "\" is given twice");
      }
      keys.put(keyId, key.clone());
    }

    public AesGcmSecretCodec build() {
      if (currentKeyId == null) {
        throw new InvalidInputException("an AesGcmSecretCodec needs its current key: currentKey(id, key)");
      }
      Map<String, SecretKeySpec> specs = new LinkedHashMap<>();
      keys.forEach((id, key) -> specs.put(id, new SecretKeySpec(key, "AES")));
      return new AesGcmSecretCodec(currentKeyId, specs);
    }

    /** The key ids, never the keys. */
    @Override
    public String toString() {
      return "AesGcmSecretCodec.Builder[current=" + currentKeyId + ", keys=" + keys.keySet() + "]";
    }
  }
}

package io.stagehand.core;

import java.math.BigDecimal;

/**
 * The limits every store enforces on what is staged, checked in core when an edit is made or a value
 * is read, so that a value over a limit is refused at staging with {@link InvalidInputException} and
 * never reaches a store, a handler or a commit. The README lists them in its limits table.
 */
public final class InputLimits {
  /** Lists and maps nested inside one value, e.g. {@code [[1]]} is nested 2 deep. */
  public static final int MAX_DEPTH = 64;
  /** Characters (UTF-16 units) in one string value or map key. */
  public static final int MAX_STRING_LENGTH = 1 << 20;
  /** Significant digits of a number. */
  public static final int MAX_NUMBER_DIGITS = 100;
  /** The largest power of ten of a number: its magnitude lies within 1e-1000 to 1e+1000. */
  public static final int MAX_NUMBER_EXPONENT = 1000;
  /** Characters of a resource id or a tag. */
  public static final int MAX_ID_LENGTH = ResourceId.MAX_LENGTH;
  /** Characters of an input name or a label. */
  public static final int MAX_NAME_LENGTH = 100;
  /** Edits in one staged batch. */
  public static final int MAX_EDITS_PER_BATCH = 1_000_000;

  private InputLimits() {}

  /** Refuses a string value or key over the length limit or one that is not valid Unicode text. */
  static void checkString(String s, String what) {
    if (s.length() > MAX_STRING_LENGTH) {
      throw new InvalidInputException(what + " has " + s.length() + " characters; the limit is "
          + MAX_STRING_LENGTH);
    }
    if (s.indexOf('\0') >= 0) {
      throw new InvalidInputException(
          what + " contains the NUL character (\\u0000), which PostgreSQL cannot store");
    }
    int lone = loneSurrogate(s);
    if (lone >= 0) {
      throw new InvalidInputException(what + " contains a lone UTF-16 surrogate at character " + lone
          + "; it is not Unicode text and no store keeps it");
    }
  }

  /**
   * The index of the first UTF-16 surrogate in {@code s} that is not half of a pair, or -1: such a
   * string is not Unicode text, and a store writing UTF-8 turns it into {@code ?}.
   */
  static int loneSurrogate(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isSurrogate(c)) {
        if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
          i++;
        } else {
          return i;
        }
      }
    }
    return -1;
  }

  /** Refuses a number with too many digits or too large or too small a magnitude. */
  static void checkNumber(BigDecimal n) {
    if (n.signum() == 0) {
      return;
    }
    if (n.precision() > MAX_NUMBER_DIGITS) {
      throw new InvalidInputException("a number has " + n.precision() + " significant digits; the limit is "
          + MAX_NUMBER_DIGITS);
    }
    checkMagnitude(n);
  }

  /**
   * Refuses a number of too large or too small a magnitude. Trailing zeros do not change it, so this
   * runs before they are stripped: stripping them from a number far out of range, such as
   * {@code 100e2147483647}, overflows its scale.
   */
  static void checkMagnitude(BigDecimal n) {
    if (n.signum() == 0) {
      return;
    }
    long exponent = (long) n.precision() - n.scale() - 1;
    if (Math.abs(exponent) > MAX_NUMBER_EXPONENT) {
      throw new InvalidInputException("a number's magnitude is 1e" + exponent + "; numbers lie within 1e-"
          + MAX_NUMBER_EXPONENT + " to 1e" + MAX_NUMBER_EXPONENT);
    }
  }

  /** Refuses a value nested deeper than {@link #MAX_DEPTH}; walks no deeper than the limit. */
  static void checkDepth(Value v, String what) {
    if (depthOver(v, 0)) {
      throw new InvalidInputException(what + " is nested more than " + MAX_DEPTH + " lists or maps deep");
    }
  }

  private static boolean depthOver(Value v, int above) {
    if (v instanceof Value.ListValue l) {
      if (above + 1 > MAX_DEPTH) {
        return true;
      }
      for (Value e : l.values()) {
        if (depthOver(e, above + 1)) {
          return true;
        }
      }
    } else if (v instanceof Value.MapValue m) {
      if (above + 1 > MAX_DEPTH) {
        return true;
      }
      for (Value e : m.entries().values()) {
        if (depthOver(e, above + 1)) {
          return true;
        }
      }
    }
    return false;
  }

  /** Refuses a batch with more edits than {@link #MAX_EDITS_PER_BATCH}. */
  static void checkBatch(int size) {
    if (size > MAX_EDITS_PER_BATCH) {
      throw new InvalidInputException("a batch of " + size + " edits is over the limit of "
          + MAX_EDITS_PER_BATCH + "; stage it in several batches");
    }
  }
}

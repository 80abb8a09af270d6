package io.stagehand.core.internal;

import io.stagehand.core.InputLimits;
import io.stagehand.core.InvalidInputException;
import io.stagehand.core.model.Value;
import java.math.BigDecimal;

/** The checks behind {@link InputLimits}: every edit and value is held to them when it is made. */
public final class Limits {
  private Limits() {}

  /** Refuses a string value or key over the length limit or one that is not valid Unicode text. */
  public static void checkString(String s, String what) {
    if (s.length() > InputLimits.MAX_STRING_LENGTH) {
      throw new InvalidInputException(what + " has " + s.length() + " characters; the limit is "
          + InputLimits.MAX_STRING_LENGTH);
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
  public static int loneSurrogate(String s) {
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
  public static void checkNumber(BigDecimal n) {
    if (n.signum() == 0) {
      return;
    }
    if (n.precision() > InputLimits.MAX_NUMBER_DIGITS) {
      throw new InvalidInputException("a number has " + n.precision() + " significant digits; the limit is "
          + InputLimits.MAX_NUMBER_DIGITS);
    }
    checkMagnitude(n);
  }

  /**
   * Refuses a number of too large or too small a magnitude. Trailing zeros do not change it, so this
   * runs before they are stripped: stripping them from a number far out of range, such as
   * {@code 100e2147483647}, overflows its scale.
   */
  public static void checkMagnitude(BigDecimal n) {
    if (n.signum() == 0) {
      return;
    }
    long exponent = (long) n.precision() - n.scale() - 1;
    if (Math.abs(exponent) > InputLimits.MAX_NUMBER_EXPONENT) {
      throw new InvalidInputException("a number's magnitude is 1e" + exponent + "; numbers lie within 1e-"
          + InputLimits.MAX_NUMBER_EXPONENT + " to 1e" + InputLimits.MAX_NUMBER_EXPONENT);
    }
  }

  /** Refuses a value nested deeper than {@link InputLimits#MAX_DEPTH}; walks no deeper than the limit. */
  public static void checkDepth(Value v, String what) {
    if (depthOver(v, 0)) {
      throw new InvalidInputException(what + " is nested more than " + InputLimits.MAX_DEPTH + " lists or maps deep");
    }
  }

  private static boolean depthOver(Value v, int above) {
    if (v instanceof Value.ListValue l) {
      if (above + 1 > InputLimits.MAX_DEPTH) {
        return true;
      }
      for (Value e : l.values()) {
        if (depthOver(e, above + 1)) {
          return true;
        }
      }
    } else if (v instanceof Value.MapValue m) {
      if (above + 1 > InputLimits.MAX_DEPTH) {
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

  /** Refuses a batch with more edits than {@link InputLimits#MAX_EDITS_PER_BATCH}. */
  public static void checkBatch(int size) {
    if (size > InputLimits.MAX_EDITS_PER_BATCH) {
      throw new InvalidInputException("a batch of " + size + " edits is over the limit of "
          + InputLimits.MAX_EDITS_PER_BATCH + "; stage it in several batches");
    }
  }
}

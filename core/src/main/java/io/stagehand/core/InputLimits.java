package io.stagehand.core;

import io.stagehand.core.model.ResourceId;

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
}

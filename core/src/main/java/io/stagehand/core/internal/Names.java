package io.stagehand.core.internal;

import io.stagehand.core.InputLimits;
import io.stagehand.core.InvalidInputException;

/**
 * The naming rule shared by resource ids, input names and tags. A name that breaks the rule is never
 * repeated in the message: text that failed a check may be anything, a secret pasted in the wrong
 * place included. A name that passed is an identifier and prints in plans, so messages may name it.
 */
public final class Names {
  private Names() {}

  public static String check(String what, String name, int maxLength) {
    if (name == null) {
      throw new InvalidInputException(what + " is missing");
    }
    String problem = problem(name, maxLength);
    if (problem != null) {
      throw new InvalidInputException("invalid " + what + ": " + problem);
    }
    return name;
  }

  /**
   * What is wrong with {@code name}, described without repeating it, or null if it is a good name:
   * ASCII letters, digits, {@code _} and {@code -}, 1 to {@code maxLength} characters. A loop, not a
   * regex: names are checked on every value built, so this is a hot path.
   */
  public static String problem(String name, int maxLength) {
    if (name.isEmpty()) {
      return "it is empty; " + rule(maxLength);
    }
    if (name.length() > maxLength) {
      return "it has " + name.length() + " characters; " + rule(maxLength);
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-')) {
        return "character " + (i + 1) + " is not allowed; " + rule(maxLength);
      }
    }
    return null;
  }

  private static String rule(int maxLength) {
    return "use ASCII letters, digits, '_' and '-' (1-" + maxLength + " characters)";
  }

  public static String input(String name) {
    return check("input name", name, InputLimits.MAX_NAME_LENGTH);
  }
}

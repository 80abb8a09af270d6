package io.stagehand.core;

import java.util.regex.Pattern;

/** The naming rule shared by resource ids, input names and tags. */
final class Names {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]+");

  private Names() {}

  static String check(String what, String name, int maxLength) {
    if (name == null) {
      throw new InvalidInputException(what + " is missing");
    }
    if (name.isEmpty() || name.length() > maxLength || !NAME.matcher(name).matches()) {
      throw new InvalidInputException(
          "invalid " + what + " " + quote(name) + ": use ASCII letters, digits, '_' and '-' (1-"
              + maxLength + " characters)");
    }
    return name;
  }

  static String input(String name) {
    return check("input name", name, 100);
  }

  static String quote(String s) {
    String shown = s.length() > 60 ? s.substring(0, 57) + "..." : s;
    return Value.of(shown).toJson();
  }
}

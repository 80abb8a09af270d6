package io.stagehand.core;

/** The naming rule shared by resource ids, input names and tags. */
final class Names {
  private Names() {}

  static String check(String what, String name, int maxLength) {
    if (name == null) {
      throw new InvalidInputException(what + " is missing");
    }
    if (name.isEmpty() || name.length() > maxLength || !plain(name)) {
      throw new InvalidInputException(
          "invalid " + what + " " + quote(name) + ": use ASCII letters, digits, '_' and '-' (1-"
              + maxLength + " characters)");
    }
    return name;
  }

  /** The rule without a regex: names are checked on every value built, so this is a hot path. */
  private static boolean plain(String name) {
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-')) {
        return false;
      }
    }
    return true;
  }

  static String input(String name) {
    return check("input name", name, 100);
  }

  static String quote(String s) {
    String shown = s.length() > 60 ? s.substring(0, 57) + "..." : s;
    return Value.of(shown).toJson();
  }
}

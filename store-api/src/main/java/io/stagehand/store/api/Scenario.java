package io.stagehand.store.api;

import io.stagehand.core.InvalidInputException;
import java.util.ArrayList;
import java.util.List;

/**
 * One parsed scenario file: a list of cases, each a directive line, optional input lines, a line
 * {@code ----}, the expected output and a blank line. Lines starting with {@code #} outside a case's
 * output are comments and are kept when the file is rewritten.
 */
public final class Scenario {
  /** One case of a scenario file. */
  public record Case(int line, List<String> comments, String directive, List<String> input, List<String> expected) {
    public Case {
      comments = List.copyOf(comments);
      input = List.copyOf(input);
      expected = List.copyOf(expected);
    }

    /** The case as it would be written back with {@code output} as its expected lines. */
    String render(List<String> output) {
      StringBuilder b = new StringBuilder();
      comments.forEach(c -> b.append(c).append('\n'));
      b.append(directive).append('\n');
      input.forEach(i -> b.append(i).append('\n'));
      b.append("----\n");
      output.forEach(o -> b.append(o).append('\n'));
      return b.append('\n').toString();
    }
  }

  private final String name;
  private final List<Case> cases;
  private final List<String> trailingComments;

  private Scenario(String name, List<Case> cases, List<String> trailingComments) {
    this.name = name;
    this.cases = List.copyOf(cases);
    this.trailingComments = List.copyOf(trailingComments);
  }

  public String name() {
    return name;
  }

  public List<Case> cases() {
    return cases;
  }

  /**
   * Parses a scenario file's text; throws {@link InvalidInputException} naming the file and the bad
   * line by number, never repeating its text (a line may hold a secret).
   */
  public static Scenario parse(String name, String text) {
    if (text == null) {
      throw new InvalidInputException(name + ":1: the scenario text is missing");
    }
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      // CRLF and stray CRs before a line end are line endings: a rewrite writes LF alone
      int end = lines[i].length();
      while (end > 0 && lines[i].charAt(end - 1) == '\r') {
        end--;
      }
      lines[i] = lines[i].substring(0, end);
    }
    List<Case> cases = new ArrayList<>();
    List<String> comments = new ArrayList<>();
    int i = 0;
    while (i < lines.length) {
      String line = lines[i];
      if (line.isBlank()) {
        i++;
        continue;
      }
      // an indented '#' line too: as a directive it would be written back unindented, as a comment
      if (line.strip().startsWith("#")) {
        comments.add(line);
        i++;
        continue;
      }
      int start = i + 1;
      String directive = line.strip();
      List<String> input = new ArrayList<>();
      i++;
      while (i < lines.length && !lines[i].equals("----")) {
        if (lines[i].isBlank()) {
          throw new InvalidInputException(name + ":" + (i + 1)
              + ": blank line before '----' in the case starting at line " + start);
        }
        if (!lines[i].startsWith("#")) {
          input.add(lines[i]);
        }
        i++;
      }
      if (i >= lines.length) {
        throw new InvalidInputException(name + ":" + start
            + ": the case starting at this line has no '----' line before the file ends");
      }
      i++;
      List<String> expected = new ArrayList<>();
      while (i < lines.length && !lines[i].isEmpty()) {
        expected.add(lines[i]);
        i++;
      }
      cases.add(new Case(start, comments, directive, input, expected));
      comments = new ArrayList<>();
    }
    return new Scenario(name, cases, comments);
  }

  /** The file's text with each case's expected output replaced by {@code outputs}, in order. */
  public String render(List<List<String>> outputs) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < cases.size(); i++) {
      b.append(cases.get(i).render(outputs.get(i)));
    }
    trailingComments.forEach(c -> b.append(c).append('\n'));
    String text = b.toString();
    return text.endsWith("\n\n") ? text.substring(0, text.length() - 1) : text;
  }
}

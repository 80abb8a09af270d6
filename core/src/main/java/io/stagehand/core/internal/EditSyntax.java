package io.stagehand.core.internal;

import io.stagehand.core.InvalidInputException;
import io.stagehand.core.model.Connection;
import io.stagehand.core.model.Edit;
import io.stagehand.core.model.Event;
import io.stagehand.core.model.ResourceId;
import io.stagehand.core.model.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Parser of the scenario syntax for one edit. Its errors never repeat the line: a value in it may be
 * a secret, so they name the verb, the input and what to write instead. Input values are JSON and may contain spaces inside
 * strings, lists and maps; an input written {@code name!=<json>} is marked sensitive. In a
 * {@code create}, {@code @node1} places the resource, {@code +web} labels it and the word
 * {@code protected} protects it.
 */
public final class EditSyntax {
  private EditSyntax() {}

  public static Edit parse(String line) {
    if (line == null || line.isBlank()) {
      throw new InvalidInputException("an edit line is empty");
    }
    String trimmed = line.strip();
    int space = trimmed.indexOf(' ');
    String verb = space < 0 ? trimmed : trimmed.substring(0, space);
    String rest = space < 0 ? "" : trimmed.substring(space + 1).strip();
    switch (verb) {
      case "import": {
        // out.<name>=<json> (out.<name>!= if sensitive) records an output the resource has
        List<String> defining = new ArrayList<>();
        TreeMap<String, Value> outputs = new TreeMap<>();
        Set<String> sensitiveOutputs = new TreeSet<>();
        for (String w : words(rest)) {
          if (!w.startsWith("out.")) {
            defining.add(w);
            continue;
          }
          Assignment a = assignment(line, w.substring("out.".length()));
          if (outputs.put(a.name, a.value) != null) {
            throw new InvalidInputException("cannot read an import edit: output " + a.name + " is given twice");
          }
          if (a.sensitive) {
            sensitiveOutputs.add(a.name);
          }
        }
        return new Edit.Import(create(line, "import", String.join(" ", defining)), outputs,
            new TreeSet<>(sensitiveOutputs));
      }
      case "touch": {
        List<String> words = words(rest);
        if (words.size() != 1) {
          throw usage(line, "touch <id>");
        }
        return new Edit.Touch(ResourceId.of(words.get(0)));
      }
      case "adopt": {
        List<String> words = words(rest);
        if (words.isEmpty()) {
          throw usage(line, "adopt <id> [<input>=<json> ...] [out.<name>=<json> ...]");
        }
        TreeMap<String, Value> inputs = new TreeMap<>();
        Set<String> sensitive = new TreeSet<>();
        TreeMap<String, Value> outputs = new TreeMap<>();
        Set<String> sensitiveOutputs = new TreeSet<>();
        for (String w : words.subList(1, words.size())) {
          boolean output = w.startsWith("out.");
          Assignment a = assignment(line, output ? w.substring("out.".length()) : w);
          if ((output ? outputs : inputs).put(a.name, a.value) != null) {
            throw new InvalidInputException("cannot read an adopt edit: " + (output ? "output " : "input ") + a.name
                + " is given twice");
          }
          if (a.sensitive) {
            (output ? sensitiveOutputs : sensitive).add(a.name);
          }
        }
        return new Edit.Adopt(ResourceId.of(words.get(0)), inputs, new TreeSet<>(sensitive), outputs,
            new TreeSet<>(sensitiveOutputs));
      }
      case "replace": {
        List<String> words = words(rest);
        if (words.size() != 1) {
          throw usage(line, "replace <id>");
        }
        return new Edit.Replace(ResourceId.of(words.get(0)));
      }
      case "forget": {
        List<String> words = words(rest);
        if (words.size() != 1) {
          throw usage(line, "forget <id>");
        }
        return new Edit.Forget(ResourceId.of(words.get(0)));
      }
      case "create":
        return create(line, "create", rest);
      case "set": {
        List<String> words = words(rest);
        if (words.size() != 2) {
          throw usage(line, "set <id> <input>=<json>");
        }
        Assignment a = assignment(line, words.get(1));
        return new Edit.SetInput(ResourceId.of(words.get(0)), a.name, a.value, a.sensitive);
      }
      case "unset": {
        List<String> words = words(rest);
        if (words.size() != 2) {
          throw usage(line, "unset <id> <input>");
        }
        return new Edit.UnsetInput(ResourceId.of(words.get(0)), words.get(1));
      }
      case "remove": {
        List<String> words = words(rest);
        if (words.size() != 1) {
          throw usage(line, "remove <id>");
        }
        return new Edit.Remove(ResourceId.of(words.get(0)));
      }
      case "place": {
        List<String> words = words(rest);
        if (words.size() != 2) {
          throw usage(line, "place <id> <location>");
        }
        return new Edit.Place(ResourceId.of(words.get(0)), java.util.Optional.of(ResourceId.of(words.get(1))));
      }
      case "unplace": {
        List<String> words = words(rest);
        if (words.size() != 1) {
          throw usage(line, "unplace <id>");
        }
        return new Edit.Place(ResourceId.of(words.get(0)), java.util.Optional.empty());
      }
      case "label":
      case "unlabel": {
        List<String> words = words(rest);
        if (words.size() != 2) {
          throw usage(line, verb + " <id> <label>");
        }
        return new Edit.Label(ResourceId.of(words.get(0)), words.get(1), verb.equals("label"));
      }
      case "protect":
      case "unprotect": {
        List<String> words = words(rest);
        if (words.size() != 1) {
          throw usage(line, verb + " <id>");
        }
        return new Edit.Protect(ResourceId.of(words.get(0)), verb.equals("protect"));
      }
      case "depend":
      case "undepend": {
        List<String> words = words(rest);
        if (words.size() != 3 || !words.get(1).equals("after")) {
          throw usage(line, verb + " <id> after <id>");
        }
        Event e = Event.dependsOn(words.get(0), words.get(2));
        return verb.equals("depend") ? new Edit.AddEvent(e) : new Edit.RemoveEvent(e);
      }
      case "react":
      case "unreact": {
        List<String> words = words(rest);
        if (words.size() != 5 || !words.get(2).equals("->")) {
          throw usage(line, verb + " <source> <ACTION|*> -> <target> <action>");
        }
        Event e = Event.reaction(words.get(0), words.get(1), words.get(3), words.get(4));
        return verb.equals("react") ? new Edit.AddEvent(e) : new Edit.RemoveEvent(e);
      }
      case "connect":
        return new Edit.Connect(Connection.parse(rest));
      case "disconnect":
        return new Edit.Disconnect(Connection.parse(rest));
      default:
        throw new InvalidInputException(
            "cannot read an edit: its first word is not a known edit; use create, import, set, unset, remove, forget, touch, replace, connect, disconnect, place, unplace, label, unlabel, protect, unprotect, "
                + "touch, depend, undepend, "
                + "react or unreact");
    }
  }

  private record Assignment(String name, Value value, boolean sensitive) {}


  /** The definition of a {@code create} or {@code import} line: {@code <id> <kind>} and what follows. */
  private static Edit.Create create(String line, String verb, String rest) {
    List<String> words = words(rest);
    if (words.size() < 2) {
      throw usage(line, verb + " <id> <kind> [protected] [@<location>] [+<label> ...] [<input>=<json> ...]");
    }
    boolean protect = false;
    TreeMap<String, Value> inputs = new TreeMap<>();
    Set<String> sensitive = new TreeSet<>();
    java.util.Optional<ResourceId> location = java.util.Optional.empty();
    TreeSet<String> labels = new TreeSet<>();
    for (String w : words.subList(2, words.size())) {
      if (w.startsWith("@")) {
        location = java.util.Optional.of(ResourceId.of(w.substring(1)));
        continue;
      }
      if (w.startsWith("+")) {
        labels.add(w.substring(1));
        continue;
      }
      if (w.equals("protected")) {
        protect = true;
        continue;
      }
      Assignment a = assignment(line, w);
      if (inputs.put(a.name, a.value) != null) {
        throw new InvalidInputException("cannot read " + article(verb) + " " + verb + " edit: input " + a.name
            + " is given twice");
      }
      if (a.sensitive) {
        sensitive.add(a.name);
      }
    }
    return new Edit.Create(ResourceId.of(words.get(0)), words.get(1), inputs, new TreeSet<>(sensitive),
        location, labels, protect);
  }

  private static Assignment assignment(String line, String word) {
    int eq = word.indexOf('=');
    if (eq <= 0) {
      throw usage(line, "<input>=<json>");
    }
    String name = word.substring(0, eq);
    boolean sensitive = name.endsWith("!");
    if (sensitive) {
      name = name.substring(0, name.length() - 1);
    }
    Names.input(name);
    Value value;
    try {
      value = Value.parse(word.substring(eq + 1));
    } catch (InvalidInputException e) {
      throw new InvalidInputException("cannot read the value of input " + name + ": " + e.getMessage());
    }
    return new Assignment(name, value, sensitive);
  }

  /** Splits on spaces outside JSON strings, lists and maps. */
  private static List<String> words(String text) {
    List<String> words = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    int depth = 0;
    boolean inString = false;
    // JSON starts after the '=' of an assignment: before it, in ids and kinds, quotes and brackets
    // are plain characters (a kind may be "]")
    boolean inValue = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (inString) {
        cur.append(c);
        if (c == '\\' && i + 1 < text.length()) {
          cur.append(text.charAt(++i));
        } else if (c == '"') {
          inString = false;
        }
        continue;
      }
      if (c == '=' && !inValue) {
        inValue = true;
      } else if (c == '"' && inValue) {
        inString = true;
      } else if ((c == '[' || c == '{') && inValue) {
        depth++;
      } else if ((c == ']' || c == '}') && inValue) {
        depth--;
      } else if (c == ' ' && depth == 0) {
        if (cur.length() > 0) {
          words.add(cur.toString());
          cur.setLength(0);
        }
        inValue = false;
        continue;
      }
      cur.append(c);
    }
    if (cur.length() > 0) {
      words.add(cur.toString());
    }
    return words;
  }

  private static InvalidInputException usage(String line, String form) {
    String verb = line.strip().split(" ", 2)[0];
    return new InvalidInputException("cannot read " + article(verb) + " " + verb + " edit: write " + form);
  }

  /** "an" before a verb that starts with a vowel (import, unset, unprotect), else "a". */
  private static String article(String verb) {
    return !verb.isEmpty() && "aeiou".indexOf(verb.charAt(0)) >= 0 ? "an" : "a";
  }
}

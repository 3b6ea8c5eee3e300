package io.actorvmm.cli;

import java.util.ArrayList;
import java.util.List;

/** Splits an interactive line into words like a shell does: spaces separate, quotes group, backslash escapes. */
final class Words {
  private Words() {}

  /** The words of {@code line}; an unclosed quote is bad usage. */
  static List<String> split(String line) {
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean inWord = false;
    char quote = 0;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quote != 0) {
        if (c == quote) quote = 0;
        else if (c == '\\' && quote == '"' && i + 1 < line.length()) word.append(line.charAt(++i));
        else word.append(c);
      } else if (c == '\'' || c == '"') {
        quote = c;
        inWord = true;
      } else if (c == '\\' && i + 1 < line.length()) {
        word.append(line.charAt(++i));
        inWord = true;
      } else if (Character.isWhitespace(c)) {
        if (inWord) words.add(word.toString());
        word.setLength(0);
        inWord = false;
      } else {
        word.append(c);
        inWord = true;
      }
    }
    if (quote != 0) throw CliException.usage("unclosed " + quote + " quote");
    if (inWord) words.add(word.toString());
    return words;
  }
}

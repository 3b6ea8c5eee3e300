package io.actorvmm.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** A "key: value" block with the values aligned. */
public final class Block {
  private final List<String[]> lines = new ArrayList<>();

  /** Adds a line; a null or empty value prints as "-". */
  public Block add(String key, Object value) {
    String text = value == null || value.toString().isEmpty() ? "-" : value.toString();
    lines.add(new String[] {key, text});
    return this;
  }

  /** Adds a line only when {@code value} is present. */
  public Block addIfPresent(String key, Object value) {
    if (value != null && !value.toString().isEmpty()) add(key, value);
    return this;
  }

  /** Prints the block. */
  public void print(PrintWriter out) {
    int width = 0;
    for (String[] l : lines) width = Math.max(width, l[0].length());
    for (String[] l : lines) out.println(l[0] + ":" + " ".repeat(width - l[0].length() + 2) + l[1]);
  }
}

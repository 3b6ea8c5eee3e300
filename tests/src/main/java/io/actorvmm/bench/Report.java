package io.actorvmm.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One benchmark's result block: the figure, the baseline measured in the same run, their ratio,
 * the target and whether it was met. Printed to stdout; also appended as one tab-separated line to
 * the results file when {@code --results FILE} is given (bench.sh builds its summary table from it).
 */
final class Report {
  private final String bench;
  private final String db;
  private double figure;
  private String unit = "";
  private String figureNote = "";
  private double baseline = Double.NaN;
  private String baselineNote = "";
  private String target = "";
  private boolean pass;
  private final List<String> notes = new ArrayList<>();

  Report(String bench, String db) {
    this.bench = bench;
    this.db = db;
  }

  Report figure(double value, String unitName, String note) {
    this.figure = value;
    this.unit = unitName;
    this.figureNote = note;
    return this;
  }

  Report baseline(double value, String note) {
    this.baseline = value;
    this.baselineNote = note;
    return this;
  }

  Report target(String text, boolean met) {
    this.target = text;
    this.pass = met;
    return this;
  }

  Report note(String fmt, Object... args) {
    notes.add(String.format(Locale.ROOT, fmt, args));
    return this;
  }

  double ratio() {
    return Double.isNaN(baseline) || baseline == 0 ? Double.NaN : figure / baseline;
  }

  void print(Path results) {
    StringBuilder out = new StringBuilder();
    out.append("== ").append(bench).append(" [").append(db).append("] ==\n");
    out.append(String.format(Locale.ROOT, "  figure   : %s %s  (%s)%n", num(figure), unit, figureNote));
    out.append(String.format(Locale.ROOT, "  baseline : %s %s  (%s)%n", num(baseline), unit, baselineNote));
    out.append(String.format(Locale.ROOT, "  ratio    : %s%n",
        Double.isNaN(ratio()) ? "n/a" : String.format(Locale.ROOT, "%.2f", ratio())));
    out.append("  target   : ").append(target).append('\n');
    out.append("  result   : ").append(pass ? "PASS" : "MISS").append('\n');
    for (String n : notes) out.append("  note     : ").append(n).append('\n');
    System.out.print(out);
    System.out.flush();
    if (results != null) {
      String line = String.join("\t", bench, db, num(figure), unit, num(baseline),
          Double.isNaN(ratio()) ? "n/a" : String.format(Locale.ROOT, "%.2f", ratio()), target,
          pass ? "PASS" : "MISS") + "\n";
      try {
        Files.writeString(results, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
            StandardOpenOption.APPEND);
      } catch (IOException e) {
        System.err.println("cannot append to " + results + ": " + e.getMessage());
      }
    }
  }

  static String num(double v) {
    if (Double.isNaN(v)) return "n/a";
    if (Math.abs(v) >= 100) return String.format(Locale.ROOT, "%,.0f", v);
    return String.format(Locale.ROOT, "%.2f", v);
  }
}

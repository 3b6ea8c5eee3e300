package io.actorvmm.cli;

import io.actorvmm.domain.CostRates;
import io.actorvmm.domain.Resources;
import io.actorvmm.domain.VmSpec;
import java.util.List;
import java.util.Locale;

/** Small text renderings shared by several commands. */
public final class Format {
  private Format() {}

  /** "cpu 4, memory 8192 MiB, disk 100 GiB, network 1000 Mbit". */
  public static String resources(Resources r) {
    if (r == null) return null;
    return "cpu " + r.cpuCores() + ", memory " + r.memoryMiB() + " MiB, disk " + r.storageGiB() + " GiB, network "
        + r.networkMbit() + " Mbit";
  }

  /** A VM spec's resources, in the same words as {@link #resources}. */
  public static String resources(VmSpec s) {
    if (s == null) return null;
    return "cpu " + s.cpuCores() + ", memory " + s.memoryMiB() + " MiB, disk " + s.diskGiB() + " GiB, network "
        + s.networkMbit() + " Mbit";
  }

  /** "used/total" of one amount, or "-" when either is unknown. */
  public static String usedOfTotal(Number used, Number total) {
    if (total == null) return null;
    return (used == null ? "0" : used.toString()) + "/" + total;
  }

  /** What a host charges, per unit. */
  public static String costs(CostRates c) {
    if (c == null) return null;
    return number(c.perCpuSecond()) + "/cpu-second, " + number(c.perGiBStored()) + "/GiB stored, "
        + number(c.perGiBTransferred()) + "/GiB transferred";
  }

  /** A list joined by ", ", or "none". */
  public static String list(List<String> items) {
    return items == null || items.isEmpty() ? "none" : String.join(", ", items);
  }

  /** "yes" or "no". */
  public static String yesNo(boolean b) {
    return b ? "yes" : "no";
  }

  /** A score or rate without trailing zeros noise: 0.82, 12, 0.0001. */
  public static String number(double d) {
    if (d == Math.rint(d) && Math.abs(d) < 1e15) return Long.toString((long) d);
    String s = String.format(Locale.ROOT, "%.4f", d).replaceAll("0+$", "");
    return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
  }

  /** A start order as "db → app, cache → web": groups that start together are comma-separated. */
  public static String startOrder(List<List<String>> order) {
    if (order == null || order.isEmpty()) return null;
    return String.join(" → ", order.stream().map(g -> String.join(", ", g)).toList());
  }

  /** The first line of {@code text} ("" for null): failures are reported on one line. */
  public static String firstLine(String text) {
    if (text == null) return "";
    int nl = text.indexOf('\n');
    return (nl < 0 ? text : text.substring(0, nl)).replace("\r", "");
  }
}

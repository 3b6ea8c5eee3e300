package io.actorvmm.domain;

import java.util.Collection;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Every count, size and length a request may ask for, in one place (docs/API.md "Limits"). They are
 * checked where specs are validated, before anything is persisted or sent across the cluster, so one
 * request can never ask a node for more than it can hold in memory. Ids have their own rule in {@link Ids}.
 */
public final class Limits {
  /** Longest free text: a kind, an image, a reason, a placement policy, a site, a health check. */
  public static final int MAX_TEXT = 256;
  /** Longest runtime type name ("simulated", "qemu", "kvm"). */
  public static final int MAX_RUNTIME = 32;
  /**
   * Longest command-line argument, working directory or environment value of a program: the kernel's own
   * limit on one argument or environment string (MAX_ARG_STRLEN, 128 KiB); a Java class path is often
   * longer than a few KiB.
   */
  public static final int MAX_PROGRAM_TEXT = 128 * 1024;
  /** Most items in any list or map of a request (rule lists, a program's arguments and environment). */
  public static final int MAX_LIST = 1000;
  /** Most applications in one service. */
  public static final int MAX_APPS = 100;
  /** Most replicas of one application (also an autoscale rule's maximum and a max-per-host count). */
  public static final int MAX_REPLICAS = 1000;
  /** Most replicas of all applications of one service together. */
  public static final int MAX_SERVICE_REPLICAS = 10_000;
  /** The largest count a what-if scenario may try (more replicas, max per host). */
  public static final int MAX_WHAT_IF_COUNT = 10_000;
  /** Most CPU cores of one VM. */
  public static final int MAX_CPU_CORES = 1024;
  /** Most memory of one VM: 16 TiB. */
  public static final long MAX_MEMORY_MIB = 16L * 1024 * 1024;
  /** Most disk of one VM: 1 PiB. */
  public static final long MAX_DISK_GIB = 1024L * 1024;
  /** Most network bandwidth of one VM: 1 Tbit/s. */
  public static final long MAX_NETWORK_MBIT = 1_000_000;
  /** The highest security level a VM may require. */
  public static final int MAX_SECURITY_LEVEL = 100;
  /** The highest restart priority of a VM. */
  public static final int MAX_RESTART_PRIORITY = 1000;
  /** Longest caller name (the X-Avm-User header), recorded on every event a request causes. */
  public static final int MAX_USER = 64;
  /** How much of a refused value a message repeats. */
  public static final int ECHO = 40;

  private static final Pattern RUNTIME = Pattern.compile("[a-z0-9][a-z0-9._-]*");

  private Limits() {}

  /** The problem with free text {@code value} of field {@code what} longer than {@code max}, or null. */
  public static String text(String what, String value, int max) {
    return value != null && value.length() > max ? what + " must be at most " + max + " characters" : null;
  }

  /** The problem with free text longer than {@link #MAX_TEXT}, or null. */
  public static String text(String what, String value) {
    return text(what, value, MAX_TEXT);
  }

  /** The problem with a number of field {@code what} outside {@code min..max}, or null. */
  public static String range(String what, long value, long min, long max) {
    if (value < min) return what + " must be at least " + min;
    return value > max ? what + " must be at most " + max : null;
  }

  /** The problem with a list or map of field {@code what} holding more than {@code max} items, or null. */
  public static String size(String what, int items, int max) {
    return items > max ? what + " must have at most " + max + " items" : null;
  }

  /** The problem with a collection longer than {@link #MAX_LIST}, or null. */
  public static String size(String what, Collection<?> items) {
    return items == null ? null : size(what, items.size(), MAX_LIST);
  }

  /** The problem with a map larger than {@link #MAX_LIST}, or null. */
  public static String size(String what, Map<?, ?> items) {
    return items == null ? null : size(what, items.size(), MAX_LIST);
  }

  /** The problem with a runtime type name, or null: 1-32 characters of a-z, 0-9, '.', '_' or '-'. */
  public static String runtime(String runtime) {
    if (runtime == null || runtime.isBlank()) return "runtime type is missing";
    if (runtime.length() > MAX_RUNTIME || !RUNTIME.matcher(runtime).matches()) {
      return "runtime '" + clip(runtime) + "' must be 1-" + MAX_RUNTIME
          + " characters of a-z, 0-9, '.', '_' or '-', starting with a letter or digit";
    }
    return null;
  }

  /** {@code value} cut to {@link #ECHO} characters for a message, on one line. */
  public static String clip(String value) {
    if (value == null) return "null";
    String cut = value.length() <= ECHO ? value : value.substring(0, ECHO) + "...";
    return cut.replaceAll("[\\r\\n\\t]", " ");
  }
}

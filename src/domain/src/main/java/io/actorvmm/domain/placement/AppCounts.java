package io.actorvmm.domain.placement;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * A host's VM count per application as an immutable map built for the placement hot loop: a 64-bit
 * summary of the names' hashes answers most "does this host run app X?" questions without touching
 * the table, and the table compares stored hashes before names. Equal to any map with the same entries.
 */
final class AppCounts extends AbstractMap<String, Integer> {
  static final AppCounts EMPTY = new AppCounts(Map.of());

  private final String[] keys;
  private final int[] hashes;
  private final int[] counts;
  private final long summary;
  private final int size;

  /** Copies {@code from}, which holds only non-empty names and counts above zero. */
  AppCounts(Map<String, Integer> from) {
    int n = from.size();
    // at most half full, so a probe for an absent name stops soon
    int cap = Integer.highestOneBit(Math.max(2, n * 2 - 1)) << 1;
    keys = new String[cap];
    hashes = new int[cap];
    counts = new int[cap];
    long s = 0;
    for (Map.Entry<String, Integer> e : from.entrySet()) {
      int h = spread(e.getKey().hashCode());
      int i = h & (cap - 1);
      while (keys[i] != null) i = (i + 1) & (cap - 1);
      keys[i] = e.getKey();
      hashes[i] = h;
      counts[i] = e.getValue();
      s |= 1L << (h >>> 26);
    }
    summary = s;
    size = n;
  }

  /** The bit {@code app} sets in a host's summary; a host whose summary lacks it holds no VM of the app. */
  static long bitOf(String app) {
    return app == null ? 0 : 1L << (spread(app.hashCode()) >>> 26);
  }

  /** The bits of every application on the host. */
  long summary() {
    return summary;
  }

  /** How many VMs of {@code app} there are, 0 when none; never boxes. */
  int count(String app) {
    if (app == null || size == 0) return 0;
    int h = spread(app.hashCode());
    if ((summary & (1L << (h >>> 26))) == 0) return 0;
    int mask = keys.length - 1;
    for (int i = h & mask; keys[i] != null; i = (i + 1) & mask) {
      if (hashes[i] == h && (keys[i] == app || keys[i].equals(app))) return counts[i];
    }
    return 0;
  }

  /** The count boxed, or null when the host holds no VM of that app. */
  @Override
  public Integer get(Object key) {
    if (!(key instanceof String app)) return null;
    int n = count(app);
    return n == 0 ? null : n;
  }

  /** True when the host holds a VM of that app. */
  @Override
  public boolean containsKey(Object key) {
    return key instanceof String app && count(app) > 0;
  }

  /** The number of applications. */
  @Override
  public int size() {
    return size;
  }

  /** The entries, in table order. */
  @Override
  public Set<Entry<String, Integer>> entrySet() {
    return new AbstractSet<>() {
      @Override
      public Iterator<Entry<String, Integer>> iterator() {
        return new Iterator<>() {
          private int next = advance(0);

          private int advance(int from) {
            int i = from;
            while (i < keys.length && keys[i] == null) i++;
            return i;
          }

          @Override
          public boolean hasNext() {
            return next < keys.length;
          }

          @Override
          public Entry<String, Integer> next() {
            if (!hasNext()) throw new NoSuchElementException();
            Entry<String, Integer> e = new SimpleImmutableEntry<>(keys[next], counts[next]);
            next = advance(next + 1);
            return e;
          }
        };
      }

      @Override
      public int size() {
        return size;
      }
    };
  }

  private static int spread(int h) {
    // mixes the high bits down so names differing only at the end still land apart
    return h ^ (h >>> 16) ^ (h * 0x9E3779B9);
  }
}

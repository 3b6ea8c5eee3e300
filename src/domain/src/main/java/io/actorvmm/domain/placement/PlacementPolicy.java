package io.actorvmm.domain.placement;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * How hosts that passed every filter are ranked: a name and weighted scorers. Written as text
 * {@code pack}, {@code spread}, {@code cost}, or a weighted sum such as {@code pack:1,cost:2}.
 */
public record PlacementPolicy(String name, List<WeightedScorer> scorers) {

  // declared before the constants below, which are built from it
  private static final Map<String, Supplier<HostScorer>> SCORERS =
      Map.of("pack", PackScorer::new, "spread", SpreadScorer::new, "cost", CostScorer::new);
  private static final String USAGE = "use pack, spread, cost or a weighted sum like pack:1,cost:2";

  /** Fill hosts up before using new ones (the cluster default). */
  public static final PlacementPolicy PACK = single("pack");
  /** Balance load: least used host after placing. */
  public static final PlacementPolicy SPREAD = single("spread");
  /** Cheapest host for the VM's expected use. */
  public static final PlacementPolicy COST = single("cost");
  /** The policy a service uses when it names none. */
  public static final PlacementPolicy DEFAULT = PACK;

  /** Copies the scorers so the record stays immutable. */
  public PlacementPolicy {
    scorers = scorers == null ? List.of() : List.copyOf(scorers);
    name = name == null || name.isBlank() ? textOf(scorers) : name;
  }

  /** A policy of {@code scorers}, named by them ("pack:1,cost:2"). */
  public static PlacementPolicy of(List<WeightedScorer> scorers) {
    return new PlacementPolicy(null, scorers);
  }

  /** Reads a policy; null or blank gives {@code dflt}. Throws IllegalArgumentException with a one-line message for bad text. */
  public static PlacementPolicy parse(String text, PlacementPolicy dflt) {
    if (text == null || text.isBlank()) return dflt;
    String t = text.trim().toLowerCase(Locale.ROOT);
    List<WeightedScorer> out = new ArrayList<>();
    for (String part : t.split(",", -1)) {
      String p = part.trim();
      int colon = p.indexOf(':');
      String scorer = colon < 0 ? p : p.substring(0, colon).trim();
      Supplier<HostScorer> make = SCORERS.get(scorer);
      if (make == null) throw bad(text, scorer.isEmpty() ? "a scorer name is missing" : "unknown scorer " + scorer);
      double weight = 1;
      if (colon >= 0) {
        try {
          weight = Double.parseDouble(p.substring(colon + 1).trim());
        } catch (NumberFormatException e) {
          throw bad(text, "weight of " + scorer + " is not a number");
        }
        if (!(weight > 0) || Double.isInfinite(weight)) throw bad(text, "weight of " + scorer + " must be above zero");
      }
      for (WeightedScorer w : out) {
        if (w.scorer().name().equals(scorer)) throw bad(text, scorer + " is listed more than once");
      }
      out.add(new WeightedScorer(make.get(), weight));
    }
    // a single unweighted scorer keeps its plain name: "cost", not "cost:1"
    String name = out.size() == 1 && t.indexOf(':') < 0 ? out.get(0).scorer().name() : textOf(out);
    return new PlacementPolicy(name, out);
  }

  /** Reads a policy; null or blank gives {@link #DEFAULT}. */
  public static PlacementPolicy parse(String text) {
    return parse(text, DEFAULT);
  }

  /** The one-line problem with a policy text, or null when it reads (null and blank read as the default). */
  public static String problem(String text) {
    try {
      parse(text);
      return null;
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
  }

  private static IllegalArgumentException bad(String text, String why) {
    return new IllegalArgumentException("placement policy '" + text.trim() + "': " + why + "; " + USAGE);
  }

  private static PlacementPolicy single(String scorer) {
    return new PlacementPolicy(scorer, List.of(new WeightedScorer(SCORERS.get(scorer).get(), 1)));
  }

  private static String textOf(List<WeightedScorer> scorers) {
    if (scorers == null) return "";
    StringBuilder b = new StringBuilder();
    for (WeightedScorer w : scorers) {
      if (b.length() > 0) b.append(',');
      double wt = w.weight();
      b.append(w.scorer().name()).append(':').append(wt == Math.rint(wt) ? Long.toString((long) wt) : Double.toString(wt));
    }
    return b.toString();
  }
}

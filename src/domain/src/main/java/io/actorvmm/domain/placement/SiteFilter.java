package io.actorvmm.domain.placement;

import io.actorvmm.domain.HostSpec;
import io.actorvmm.domain.VmSpec;

/**
 * Site rules: a VM that is not relocatable and names a site stays on that site, and a VM that takes
 * local sites only never goes to a remote site (every site but {@value HostSpec#LOCAL_SITE}).
 */
public final class SiteFilter implements HostFilter {

  /** Short reason prefix for a pinned VM, followed by its site: "on another site than s1". */
  public static final String OTHER_SITE = "on another site than ";
  /** Short reason for a local-only VM on a remote host. */
  public static final String REMOTE = "on a remote site";

  /** The filter's name. */
  @Override
  public String name() {
    return "site";
  }

  /** True when the host's site satisfies the VM's site rules. */
  @Override
  public boolean passes(PlacementContext c, HostCandidate h) {
    return violation(c.request().spec(), h.spec()) == 0;
  }

  /** null when the site fits, else "is on site s2, the VM stays on s1" or "is on remote site s2, the VM takes local sites only". */
  @Override
  public String reject(PlacementRequest r, HostCandidate h) {
    return switch (violation(r.spec(), h.spec())) {
      case 1 -> "is on site " + h.spec().site() + ", the VM stays on " + r.spec().site();
      case 2 -> "is on remote site " + h.spec().site() + ", the VM takes local sites only";
      default -> null;
    };
  }

  /** "on another site than S" or "on a remote site". */
  @Override
  public String shortReason(PlacementRequest r, HostCandidate h) {
    return switch (violation(r.spec(), h.spec())) {
      case 1 -> OTHER_SITE + r.spec().site();
      case 2 -> REMOTE;
      default -> null;
    };
  }

  /** The short reason, its request-only text built once per decision. */
  @Override
  public String shortReason(PlacementContext c, HostCandidate h) {
    return switch (violation(c.request().spec(), h.spec())) {
      case 1 -> c.text(PlacementContext.Text.SITE, r -> OTHER_SITE + r.spec().site());
      case 2 -> REMOTE;
      default -> null;
    };
  }

  /** 0 when the host fits, 1 when a pinned VM would leave its site, 2 when a local-only VM would go remote. */
  private static int violation(VmSpec vm, HostSpec host) {
    if (!vm.relocatable() && vm.site() != null && !vm.site().equals(host.site())) return 1;
    if (vm.localSitesOnly() && host.remote()) return 2;
    return 0;
  }

  /** The rule over host columns; variants 1 (other site) and 2 (remote) as in {@code violation}. */
  static final ColumnFilter COLUMN = new ColumnFilter() {
    @Override
    public int retain(PlacementContext c, HostColumns cols, int[] idx, int n, byte[] rejectedBy, byte code, int[] counts) {
      VmSpec vm = c.request().spec();
      boolean pinned = !vm.relocatable() && vm.site() != null;
      boolean localOnly = vm.localSitesOnly();
      if (!pinned && !localOnly) return n;
      int want = pinned ? cols.siteId(vm.site()) : -1;
      int[] site = cols.site;
      boolean[] remote = cols.remote;
      int kept = 0;
      for (int k = 0; k < n; k++) {
        int i = idx[k];
        int v = pinned && site[i] != want ? 1 : localOnly && remote[i] ? 2 : 0;
        if (v == 0) {
          idx[kept++] = i;
        } else {
          rejectedBy[i] = code;
          counts[v]++;
        }
      }
      return kept;
    }

    @Override
    public String shortReason(PlacementContext c, int variant) {
      return variant == 1 ? c.text(PlacementContext.Text.SITE, r -> OTHER_SITE + r.spec().site()) : REMOTE;
    }
  };
}

package io.actorvmm.bench;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The benchmark harness. One benchmark per run (tests/bench.sh runs each in its own JVM):
 *
 * <pre>
 *   Bench --bench throughput|journal|recovery|memory [--db h2|postgres] [--results FILE] [--param value ...]
 * </pre>
 *
 * Every benchmark prints one block: figure, the baseline measured in the same run, the ratio, the
 * target and PASS/MISS. Parameters (defaults in brackets):
 * <ul>
 *   <li>throughput: --hosts [20] --vms [5000] --warmup [500] --concurrency [256] --host-vms [vms+warmup]
 *       --timeout-s [300] --raw-batch [400] --diag-reserves [1000] --phased [0: 1 creates all, then starts all,
 *       and probes where the starts wait]
 *   <li>journal: --entities [500] --events-per-entity [100] --raw-batch [400] --timeout-s [300]
 *   <li>recovery: --events [1000000] --entities [10] --raw-batch [1000] --page [400] --timeout-s [600]
 *   <li>memory: --entities [100000] --concurrency [512] --timeout-s [480] (run with -Xmx2g)
 *   <li>failover: --vms [100] --timeout-s [120] (three host nodes as separate processes; one killed with SIGKILL)
 *   <li>drain: --vms [100] --timeout-s [120]
 *   <li>restart: --vms [100] --timeout-s [120] (a node restarted on its journal; its VMs run again in place)
 *   <li>reconcile: --vms [5000] --passes [200] --timeout-s [300] (CPU of a reconcile pass per VM)
 * </ul>
 */
public final class Bench {
  private Bench() {}

  /** Parsed {@code --name value} arguments. */
  static final class Args {
    private final Map<String, String> values = new HashMap<>();

    Args(String[] argv) {
      for (int i = 0; i < argv.length; i++) {
        String a = argv[i];
        if (!a.startsWith("--") || i + 1 >= argv.length) throw new IllegalArgumentException("bad argument " + a);
        values.put(a.substring(2), argv[++i]);
      }
    }

    String str(String name, String dflt) {
      return values.getOrDefault(name, dflt);
    }

    int integer(String name, int dflt) {
      return values.containsKey(name) ? Integer.parseInt(values.get(name).replace("_", "")) : dflt;
    }
  }

  public static void main(String[] argv) {
    int code = 0;
    try {
      Args args = new Args(argv);
      String bench = args.str("bench", "throughput");
      String db = args.str("db", "h2");
      String res = args.str("results", null);
      Path results = res == null ? null : Path.of(res);
      System.out.printf(Locale.ROOT, "# bench=%s db=%s cores=%d max-heap=%d MiB load=%.2f java=%s%n", bench, db,
          Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20,
          java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
          System.getProperty("java.version"));
      // configuration overrides given as -D (they apply to the node: AvmRuntime.config puts system properties on top)
      System.getProperties().stringPropertyNames().stream().sorted()
          .filter(k -> k.startsWith("pekko") || k.startsWith("jdbc-") || k.startsWith("avm.")
              || k.startsWith("pekko-persistence-jdbc"))
          .forEach(k -> System.out.println("# override -D" + k + "=" + System.getProperty(k)));
      Report report = switch (bench) {
        case "throughput" -> VmThroughputBench.run(args, db);
        case "journal" -> JournalWriteBench.run(args, db);
        case "recovery" -> RecoveryBench.run(args, db);
        case "memory" -> MemoryBench.run(args, db);
        case "failover" -> FailoverBench.run(args, db);
        case "drain" -> DrainBench.run(args, db);
        case "engine" -> PlacementEngineBench.run(args, "in-memory");
        case "service" -> ServiceStartBench.run(args, db);
        case "qemu" -> QemuBench.run(args, db);
        case "qemu-move" -> QemuMoveBench.run(args, db);
        case "restart" -> ReconcileBench.restart(args, db);
        case "reconcile" -> ReconcileBench.cpu(args, db);
        default -> throw new IllegalArgumentException("unknown --bench " + bench);
      };
      report.print(results);
    } catch (Throwable t) {
      System.out.println("bench failed: " + t);
      t.printStackTrace();
      code = 1;
    }
    System.exit(code);
  }
}

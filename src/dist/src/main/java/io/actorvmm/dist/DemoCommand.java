package io.actorvmm.dist;

import io.actorvmm.api.AvmNode;
import io.actorvmm.cli.AvmCli;
import io.actorvmm.domain.CostRates;
import io.actorvmm.domain.Resources;
import io.actorvmm.runtime.NodeSettings;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * ./avm demo: one node with both roles and three hosts; defines the patent's e-commerce service (two
 * web front-ends on different hosts, a database, a payment application that starts after the
 * database), starts it through the API, and prints its live status until Ctrl-C.
 *
 * <p>{@code --hypervisor} chooses what the hosts run: simulated VMs (the default), real QEMU VMs, or
 * real programs (three small HTTP servers shipped with ActorVmm; the payment application reports
 * healthy only once the database answers). Each kind has its own service file under config/, whose
 * {@code ${JAVA}}, {@code ${CLASSPATH}} and {@code ${DB_PORT}} the demo fills in.
 *
 * <p>Each kind keeps its journal in its own data directory ({@code data/demo-<kind>}), which records
 * the kind it was made with ({@link DemoDataDir}); {@code --fresh} starts from an empty one. When the
 * demo stops, the VMs of process and QEMU hosts stop with it ({@link HostsOnExit}).
 */
@Command(name = "demo", mixinStandardHelpOptions = true, description = "Run the e-commerce demo on one node.")
public class DemoCommand implements Callable<Integer> {

  @Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--port", defaultValue = "2551", description = "cluster port")
  int port;

  @Option(names = "--api-port", defaultValue = "9110", description = "HTTP API port")
  int apiPort;

  @Option(names = "--data-dir", description = "data directory (default: $AVM_DATA_DIR/demo-<hypervisor>, "
      + "$AVM_DATA_DIR defaulting to data)")
  Path dataDir;

  @Option(names = "--fresh", description = "delete the demo's data directory first and start from an empty journal")
  boolean fresh;

  @Option(names = "--keep-vms-running", description = "on stop, leave process and QEMU VMs running for the next "
      + "start to adopt (default: they stop with the demo)")
  boolean keepVmsRunning;

  @Option(names = "--service", description = "service definition (JSON; default: config/ecommerce.json, or "
      + "config/ecommerce-<hypervisor>.json for qemu and process)")
  Path serviceFile;

  @Option(names = "--hypervisor", defaultValue = "simulated", description = "simulated, qemu or process")
  String hypervisor;

  @Option(names = "--duration", description = "stop after this many seconds (0: run until Ctrl-C)", defaultValue = "0")
  long durationSeconds;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (!List.of("simulated", "qemu", "process").contains(hypervisor)) {
      err.println("error: hypervisor must be simulated, qemu or process, not '" + hypervisor + "'");
      return 2;
    }
    if (dataDir == null) {
      // one directory per kind: a journal of simulated VMs means nothing to hosts that run programs
      String base = System.getenv("AVM_DATA_DIR");
      dataDir = DemoDataDir.defaultFor(Path.of(base == null || base.isBlank() ? "data" : base), hypervisor);
    }
    String home = System.getenv().getOrDefault("AVM_HOME", ".");
    Path file = serviceFile != null ? serviceFile
        : Path.of(home, "config", hypervisor.equals("simulated") ? "ecommerce.json" : "ecommerce-" + hypervisor + ".json");
    if (!Files.isReadable(file)) {
      err.println("error: cannot read service definition " + file);
      return 2;
    }
    if (listening(apiPort)) {
      // checked before --fresh deletes anything: the demo holding this port may be using the directory
      err.println("error: port " + apiPort + " is taken: stop the demo or node using it, or choose another --api-port");
      return 1;
    }
    try {
      DemoDataDir.prepare(dataDir, hypervisor, fresh);
    } catch (DemoDataDir.Refused e) {
      err.println("error: " + e.getMessage());
      return 2;
    } catch (java.io.IOException e) {
      err.println("error: cannot prepare data directory " + dataDir + ": " + e.getMessage());
      return 1;
    }
    Path definition = dataDir.resolve("service-" + hypervisor + ".json");
    Files.writeString(definition, fillIn(Files.readString(file)));
    NodeSettings settings = new NodeSettings("127.0.0.1", port, List.of("seed", "host"), List.of("127.0.0.1:" + port),
        "127.0.0.1", apiPort, "h2", dataDir, List.of("h1", "h2", "h3"), hypervisor,
        new Resources(8, 16384, 500, 1000), Duration.ofMillis(1500), Duration.ofMillis(800), "local", 0,
        CostRates.FREE, null, null, null, keepVmsRunning);
    AvmNode node;
    try {
      node = AvmNode.start(settings);
      HostsOnExit.register(node);
      Signals.stopNodeOnSignals(node);
    } catch (RuntimeException e) {
      err.println("error: " + e.getMessage());
      return 1;
    }
    String address = "127.0.0.1:" + node.apiPort();
    out.println("ActorVmm demo: node pekko://avm@127.0.0.1:" + port + " with " + hypervisor
        + " hosts h1, h2, h3; API http://"
        + address + " (journal: " + dataDir.resolve("journal.mv.db") + ")");
    out.println("Admin token: in " + node.runtime().adminToken().file() + " (readable by you only; ./avm on this machine uses it)");
    // the demo's own commands carry the token; the node never prints it
    cli = io.actorvmm.cli.CliEnvironment.system().withVariable(io.actorvmm.cli.Credentials.TOKEN_VARIABLE,
        node.runtime().adminToken().token().text());
    out.println("Try in another terminal: ./avm " + address + " vm list | host list | audit log | service status ecommerce");
    waitForHosts(address, 3, out);
    run(out, err, address, "service", "define", definition.toString());
    run(out, err, address, "service", "start", "ecommerce");
    long deadline = durationSeconds > 0 ? System.nanoTime() + durationSeconds * 1_000_000_000L : Long.MAX_VALUE;
    String last = "";
    while (System.nanoTime() < deadline && !Signals.stopping()
        && !node.runtime().system().getWhenTerminated().toCompletableFuture().isDone()) {
      String now = capture(address, "service", "status", "ecommerce") + capture(address, "vm", "list");
      if (!now.equals(last) && !Signals.stopping()) {
        out.println("---- " + LocalTime.now().truncatedTo(ChronoUnit.SECONDS));
        out.print(now);
        out.flush();
        last = now;
      }
      Thread.sleep(500);
    }
    HostsOnExit.close(node);
    return 0;
  }

  /** True when something accepts connections on 127.0.0.1:{@code port}. */
  private static boolean listening(int port) {
    try (java.net.Socket s = new java.net.Socket()) {
      s.connect(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), port), 500);
      return true;
    } catch (java.io.IOException e) {
      return false;
    }
  }

  /** The service text with the demo's placeholders filled in (JSON-escaped). */
  static String fillIn(String text) {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String classpath = System.getProperty("java.class.path");
    String dbPort = Integer.toString(freePort());
    return text.replace("${JAVA}", jsonEscape(java)).replace("${CLASSPATH}", jsonEscape(classpath))
        .replace("${DB_PORT}", dbPort);
  }

  private static String jsonEscape(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"");
  }

  private static int freePort() {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (java.io.IOException e) {
      throw new IllegalStateException("no free port for the demo's database: " + e.getMessage(), e);
    }
  }

  private void waitForHosts(String address, int n, PrintWriter out) throws InterruptedException {
    for (int i = 0; i < 120; i++) {
      String hosts = capture(address, "--output", "json", "host", "list");
      if (hosts.split("\"hostId\"", -1).length - 1 >= n) return;
      Thread.sleep(250);
    }
    out.println("warning: not all hosts registered yet");
  }

  // the environment of the demo's own CLI commands: the process's, with the node's admin token
  private io.actorvmm.cli.CliEnvironment cli = io.actorvmm.cli.CliEnvironment.system();

  private void run(PrintWriter out, PrintWriter err, String address, String... args) {
    String[] full = new String[args.length + 1];
    full[0] = address;
    System.arraycopy(args, 0, full, 1, args.length);
    out.println("$ avm " + String.join(" ", args));
    AvmCli.run(full, out, err, null, cli);
  }

  private String capture(String address, String... args) {
    StringWriter buf = new StringWriter();
    String[] full = new String[args.length + 1];
    full[0] = address;
    System.arraycopy(args, 0, full, 1, args.length);
    AvmCli.run(full, new PrintWriter(buf, true), new PrintWriter(buf, true), null, cli);
    return buf.toString();
  }
}

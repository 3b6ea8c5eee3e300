package io.actorvmm.adapters.qemu;

import com.fasterxml.jackson.databind.JsonNode;
import io.actorvmm.adapters.AdapterException;
import io.actorvmm.adapters.MigrationEndpoint;
import io.actorvmm.adapters.MigrationResult;
import io.actorvmm.adapters.support.Ports;
import java.time.Duration;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * Live migration without shared storage, in QMP steps. The target runs QEMU with {@code -incoming}
 * and exports its (empty) disk node writable over NBD; the source mirrors its disk into that export
 * ({@code blockdev-mirror}, write-blocking once in sync, so no guest write is lost), then sends memory
 * and device state with {@code migrate}, polls {@code query-migrate} until it completes, and ends the
 * mirror. The target resumes the guest on its own when the stream completes.
 */
final class QemuMigration {

  private static final String NBD_NODE = "avm-migration-target";
  private static final String MIRROR_JOB = "avm-migration-mirror";
  private static final Duration LIMIT = Duration.ofMinutes(10);

  private QemuMigration() {}

  /** On the target, once QEMU waits for the stream: exports the disk and returns the endpoint. */
  static MigrationEndpoint exportDisk(QemuVm vm, int streamPort) {
    int nbdPort = Ports.free();
    vm.qmp.execute("nbd-server-start", Map.of("addr",
        Map.of("type", "inet", "data", Map.of("host", "127.0.0.1", "port", Integer.toString(nbdPort)))));
    vm.qmp.execute("block-export-add", Map.of("type", "nbd", "id", QemuLauncher.DISK_NODE,
        "node-name", QemuLauncher.DISK_NODE, "writable", true));
    return new MigrationEndpoint("tcp:127.0.0.1:" + streamPort,
        Map.of("nbd", "127.0.0.1:" + nbdPort, "export", QemuLauncher.DISK_NODE));
  }

  /** On the target after the stream completed: waits for the guest to run and closes the NBD export. */
  static void settleTarget(QemuVm vm) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    String status;
    while (!"running".equals(status = vm.qmp.execute("query-status").path("status").asText())) {
      if (System.nanoTime() > deadline) throw new AdapterException("vm " + vm.id + " did not resume after migration: " + status);
      sleep(20);
    }
    try {
      vm.qmp.execute("nbd-server-stop");
    } catch (QmpException ignored) {
      // already stopped
    }
  }

  /** On the source: mirrors the disk, migrates, and returns QEMU's figures; the source QEMU is then paused. */
  static MigrationResult run(QemuVm vm, MigrationEndpoint to, IntConsumer progress) {
    String nbd = to.details().get("nbd");
    if (nbd == null) throw new AdapterException("endpoint " + to.uri() + " offers no nbd disk export");
    int colon = nbd.lastIndexOf(':');
    QmpClient q = vm.qmp;
    q.execute("blockdev-add", Map.of("driver", "nbd", "node-name", NBD_NODE,
        "server", Map.of("type", "inet", "host", nbd.substring(0, colon), "port", nbd.substring(colon + 1)),
        "export", to.details().getOrDefault("export", QemuLauncher.DISK_NODE)));
    boolean mirroring = false;
    try {
      q.execute("blockdev-mirror", Map.of("job-id", MIRROR_JOB, "device", QemuLauncher.DISK_NODE,
          "target", NBD_NODE, "sync", "full", "copy-mode", "write-blocking"));
      mirroring = true;
      waitMirrorReady(q, progress);
      q.execute("migrate", Map.of("uri", to.uri()));
      MigrationResult result = waitMigrated(q, progress);
      q.execute("block-job-cancel", Map.of("device", MIRROR_JOB));
      mirroring = false;
      progress.accept(100);
      return result;
    } catch (AdapterException e) {
      if (mirroring) quietly(() -> q.execute("block-job-cancel", Map.of("device", MIRROR_JOB, "force", true)));
      quietly(() -> q.execute("blockdev-del", Map.of("node-name", NBD_NODE)));
      quietly(() -> q.execute("cont"));
      throw new AdapterException("live migration of " + vm.id + " failed: " + e.getMessage(), e);
    }
  }

  private static void waitMirrorReady(QmpClient q, IntConsumer progress) {
    long deadline = System.nanoTime() + LIMIT.toNanos();
    while (true) {
      JsonNode job = null;
      for (JsonNode j : q.execute("query-block-jobs")) if (MIRROR_JOB.equals(j.path("device").asText())) job = j;
      if (job == null) throw new AdapterException("disk mirror ended before it was in sync");
      long len = job.path("len").asLong();
      if (len > 0) progress.accept((int) Math.min(49, job.path("offset").asLong() * 50 / len));
      if (job.path("ready").asBoolean()) return;
      if (System.nanoTime() > deadline) throw new AdapterException("disk mirror not in sync within " + LIMIT.toMinutes() + " min");
      sleep(20);
    }
  }

  private static MigrationResult waitMigrated(QmpClient q, IntConsumer progress) {
    long deadline = System.nanoTime() + LIMIT.toNanos();
    while (true) {
      JsonNode m = q.execute("query-migrate");
      String status = m.path("status").asText();
      JsonNode ram = m.path("ram");
      switch (status) {
        case "completed":
          return new MigrationResult(m.path("total-time").asLong(), m.path("downtime").asLong(),
              ram.path("transferred").asLong());
        case "failed":
        case "cancelled":
          throw new AdapterException(m.path("error-desc").asText("migration " + status));
        default:
          long total = ram.path("total").asLong();
          if (total > 0) progress.accept(50 + (int) Math.min(49, (total - ram.path("remaining").asLong()) * 50 / total));
      }
      if (System.nanoTime() > deadline) throw new AdapterException("migration did not complete within " + LIMIT.toMinutes() + " min");
      sleep(20);
    }
  }

  private static void quietly(Runnable r) {
    try {
      r.run();
    } catch (AdapterException ignored) {
      // best effort while unwinding a failure
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AdapterException("interrupted");
    }
  }
}

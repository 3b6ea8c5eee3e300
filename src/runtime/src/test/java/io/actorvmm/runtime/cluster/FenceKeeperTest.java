package io.actorvmm.runtime.cluster;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The fencing settings are checked against each other and against the failure detector at start. */
class FenceKeeperTest {

  private static Config config(String fencing) {
    return ConfigFactory.parseString(fencing).withFallback(ConfigFactory.load()).resolve();
  }

  @Test
  void theDefaultsAndTheDefaultTimeoutPass() {
    assertDoesNotThrow(() -> FenceKeeper.check(config(""), Duration.ofSeconds(5)));
  }

  @Test
  void aTimeoutOfFewerThanThreeRenewalsIsRefused() {
    var e = assertThrows(IllegalArgumentException.class, () -> FenceKeeper.check(
        config("avm.fencing.renew-interval = 2s"), Duration.ofSeconds(5)));
    assertEquals("fence timeout 5000 ms must be at least three renewals (6000 ms)", e.getMessage());
  }

  @Test
  void aTimeoutWithinAPauseTheClusterForgivesIsRefused() {
    var e = assertThrows(IllegalArgumentException.class, () -> FenceKeeper.check(
        config("pekko.cluster.failure-detector.acceptable-heartbeat-pause = 4s"), Duration.ofSeconds(5)));
    assertEquals("fence timeout 5000 ms must exceed the failure detector's acceptable-heartbeat-pause plus a renewal "
        + "(5000 ms), or a pause the cluster forgives would stop the node's VMs", e.getMessage());
  }

  @Test
  void aMarginShorterThanARenewalAndTheWatchdogsWorkIsRefused() {
    var e = assertThrows(IllegalArgumentException.class, () -> FenceKeeper.check(
        config("avm.fencing.failover-margin = 1s"), Duration.ofSeconds(5)));
    assertEquals("fencing failover-margin 1000 ms must be at least a renewal plus 500 ms (1500 ms): the watchdog's "
        + "polling and its kills take that long", e.getMessage());
  }
}

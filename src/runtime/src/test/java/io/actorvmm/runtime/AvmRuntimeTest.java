package io.actorvmm.runtime;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AvmRuntimeTest {
  @Test
  void onlyLoopbackAddressesCountAsThisMachineAlone() {
    for (String a : new String[] {"127.0.0.1", "127.0.0.2", "localhost", "::1"}) {
      assertTrue(AvmRuntime.loopback(a), a);
    }
    for (String a : new String[] {"0.0.0.0", "::", "10.1.2.3", "192.168.0.1"}) {
      assertFalse(AvmRuntime.loopback(a), a);
    }
  }
}

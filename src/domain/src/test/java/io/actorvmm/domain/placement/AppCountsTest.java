package io.actorvmm.domain.placement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AppCountsTest {

  @Test
  void answersLikeAHashMapForManySizes() {
    Random rnd = new Random(5);
    for (int size = 1; size < 300; size += 7) {
      Map<String, Integer> expected = new HashMap<>();
      while (expected.size() < size) expected.put("app-" + rnd.nextInt(100_000), 1 + rnd.nextInt(9));
      AppCounts counts = new AppCounts(expected);
      assertEquals(expected, counts);
      assertEquals(counts, expected);
      assertEquals(expected.hashCode(), counts.hashCode());
      for (Map.Entry<String, Integer> e : expected.entrySet()) {
        assertEquals(e.getValue(), counts.count(e.getKey()));
        assertTrue(counts.containsKey(e.getKey()));
        assertTrue((counts.summary() & AppCounts.bitOf(e.getKey())) != 0);
      }
      for (int i = 0; i < 200; i++) {
        String other = "other-" + i;
        assertEquals(0, counts.count(other));
        assertNull(counts.get(other));
        assertFalse(counts.containsKey(other));
      }
    }
    assertEquals(0, AppCounts.EMPTY.count("x"));
    assertEquals(0, AppCounts.EMPTY.count(null));
  }
}

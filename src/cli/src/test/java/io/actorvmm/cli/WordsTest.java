package io.actorvmm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class WordsTest {
  @Test
  void splitsLikeAShell() {
    assertEquals(List.of("vm", "show", "web-1"), Words.split("  vm   show web-1 "));
    assertEquals(List.of("service", "define", "my file.json"), Words.split("service define 'my file.json'"));
    assertEquals(List.of("a\"b", "c d", ""), Words.split("\"a\\\"b\" c\\ d \"\""));
    assertEquals(List.of(), Words.split("   "));
    assertThrows(CliException.class, () -> Words.split("vm show 'web"));
  }
}

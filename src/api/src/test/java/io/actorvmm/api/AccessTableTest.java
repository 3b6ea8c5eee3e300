package io.actorvmm.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actorvmm.domain.auth.Privilege;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The access table: every rule names a known privilege and a well-formed object, no two rules overlap. */
class AccessTableTest {

  @Test
  void everyRuleNamesAKnownPrivilegeAndNoTwoRulesOverlap() {
    Set<String> seen = new HashSet<>();
    for (AccessTable.Rule r : AccessTable.RULES) {
      assertTrue(Privilege.known(r.privilege()) || r.privilege().equals(AccessTable.PUBLIC)
          || r.privilege().equals(AccessTable.AUTHENTICATED), r::toString);
      assertTrue(r.object().startsWith("/"), r::toString);
      // the rule's own pattern, with its variables as values, finds the rule itself first
      String concrete = r.pattern().replaceAll("\\{[a-z]+\\}", "x1");
      assertEquals(r, AccessTable.match(r.method(), concrete).rule(), "another rule shadows " + r);
      assertTrue(seen.add(r.toString()), "listed twice: " + r);
    }
  }

  @Test
  void objectsAreFilledInAndUnlistedRoutesHaveNoRule() {
    AccessTable.Match m = AccessTable.match("POST", "/api/vms/web-1/start");
    assertEquals(Privilege.VM_START, m.rule().privilege());
    assertEquals("/vms/web-1", m.object());
    assertEquals("/services/shop", AccessTable.match("POST", "/api/services/shop/stop").object());
    assertNull(AccessTable.match("DELETE", "/api/vms/web-1"));
    assertNull(AccessTable.match("GET", "/api/nothing"));
    assertNull(AccessTable.match("GET", "/api/vms/"));
    assertEquals(List.of("GET", "POST"), AccessTable.methods("/api/vms"));
  }
}

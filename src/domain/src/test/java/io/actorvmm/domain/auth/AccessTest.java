package io.actorvmm.domain.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Roles, grants on paths inherited downward, and the decisions they give. */
class AccessTest {

  record Case(List<Grant> grants, String privilege, String object, boolean allowed) {}

  @Test
  void decisionsFollowRolesAndPaths() {
    Grant opShop = new Grant("operator", "/services/shop");
    Grant viewer = new Grant("viewer", "/");
    List<Case> cases = List.of(
        new Case(List.of(new Grant("admin", "/")), Privilege.USER_MANAGE, "/", true),
        new Case(List.of(opShop), Privilege.SERVICE_START, "/services/shop", true),
        new Case(List.of(opShop), Privilege.SERVICE_START, "/services/shop/web", true),
        new Case(List.of(opShop), Privilege.SERVICE_START, "/services/shopping", false),
        new Case(List.of(opShop), Privilege.SERVICE_START, "/services", false),
        new Case(List.of(opShop), Privilege.SERVICE_START, "/", false),
        new Case(List.of(viewer), Privilege.VM_READ, "/vms/web-1", true),
        new Case(List.of(viewer), Privilege.VM_START, "/vms/web-1", false),
        new Case(List.of(viewer, opShop), Privilege.SERVICE_STOP, "/services/shop", true),
        new Case(List.of(new Grant("operator", "/")), Privilege.TOKEN_MANAGE, "/", false),
        new Case(List.of(new Grant("moderator", "/modules/lab")), Privilege.SESSION_KILL, "/modules/lab", true),
        new Case(List.of(new Grant("user", "/")), Privilege.VM_CREATE, "/vms", false),
        new Case(List.of(), Privilege.VM_READ, "/vms", false));
    for (Case c : cases) {
      Access.Decision d = Access.check(c.grants(), c.privilege(), c.object());
      assertEquals(c.allowed(), d.allowed(), c + ": " + d.reason());
      assertFalse(d.reason().contains("\n"));
      if (!c.allowed()) assertTrue(d.reason().startsWith("missing privilege " + c.privilege() + " on " + c.object()), d.reason());
    }
  }

  @Test
  void adminHoldsEveryPrivilegeAndEveryRoleOnlyKnownOnes() {
    assertEquals(Privilege.ALL.size(), Role.ADMIN.privileges().size());
    for (Role r : Role.values()) assertTrue(Privilege.ALL.containsAll(r.privileges()), r.label());
    assertFalse(Role.OPERATOR.privileges().contains(Privilege.USER_MANAGE));
    assertFalse(Role.VIEWER.privileges().stream().anyMatch(p -> !p.endsWith(".read")));
  }

  @Test
  void badRolesAndPathsAreRefusedWithOneLine() {
    assertTrue(assertThrows(IllegalArgumentException.class, () -> new Grant("root", "/")).getMessage()
        .contains("unknown role 'root'"));
    assertThrows(IllegalArgumentException.class, () -> new Grant("viewer", "services"));
    assertThrows(IllegalArgumentException.class, () -> new Grant("viewer", "/services/"));
    assertThrows(IllegalArgumentException.class, () -> new Grant("viewer", "/Services/x y"));
  }
}

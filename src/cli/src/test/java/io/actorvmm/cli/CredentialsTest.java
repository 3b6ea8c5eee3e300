package io.actorvmm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actorvmm.api.model.ErrorBody;
import io.actorvmm.cli.Cli.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the CLI's token comes from: $AVM_TOKEN, the saved one, or a local node's admin token file after a 401. */
class CredentialsTest {
  private static final String TOKEN = "avm.0123456789abcdef.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
  private StubNode node;

  @TempDir
  Path dir;

  @BeforeEach
  void startStub() {
    node = new StubNode();
  }

  @AfterEach
  void stopStub() {
    node.close();
  }

  @Test
  void theTokenVariableIsSentAsBearer() {
    node.ok("GET", "/api/hosts", List.of());
    Result r = Cli.run(Cli.env(Map.of("USER", "alice", "AVM_TOKEN", TOKEN)), node.address(), "host", "list");
    assertEquals(0, r.exit(), r::toString);
    assertEquals("Bearer " + TOKEN, node.only().authorization());
    assertEquals("alice", node.only().user(), "the user name goes along as an annotation");
  }

  @Test
  void aLocalNodeThatRefusesGetsItsAdminTokenFileOnce() throws Exception {
    Path file = dir.resolve("admin.token");
    Files.writeString(file, TOKEN + "\n");
    node.error("GET", "/api/hosts", 401, "no token")
        .ok("GET", "/api/auth/local", Map.of("adminTokenFile", file.toString()));
    Result r = Cli.run(node.address(), "host", "list");
    assertEquals(2, r.exit(), r::toString);
    assertTrue(r.err().contains("no token"), r::toString);
    List<StubNode.Request> seen = node.requests();
    assertEquals(List.of("/api/hosts", "/api/auth/local", "/api/hosts"), seen.stream().map(StubNode.Request::path).toList());
    assertNull(seen.get(0).authorization());
    assertEquals("Bearer " + TOKEN, seen.get(2).authorization());
  }

  @Test
  void aGivenTokenThatIsRefusedIsNotReplacedByTheAdminToken() {
    node.error("GET", "/api/hosts", 401, "token 0123456789abcdef was revoked");
    Result r = Cli.run(Cli.env(Map.of("USER", "alice", "AVM_TOKEN", TOKEN)), node.address(), "host", "list");
    assertEquals(2, r.exit());
    assertTrue(r.err().contains("was revoked"), r::toString);
    assertEquals(1, node.requests().size());
  }

  @Test
  void loginChecksTheTokenAndSavesItForTheUserOnly() throws Exception {
    node.ok("GET", "/api/auth/whoami", Map.of("principal", "dana", "token", "0123456789abcdef", "grants", List.of()));
    Path config = dir.resolve("config");
    Result r = Cli.interactive(Cli.env(Map.of("USER", "alice", "AVM_CONFIG_DIR", config.toString())), TOKEN + "\n",
        node.address(), "login");
    assertEquals(0, r.exit(), r::toString);
    assertTrue(r.out().contains("logged in as dana (token 0123456789abcdef)"), r::toString);
    assertFalse(r.out().contains(TOKEN), "the token is not printed");
    assertEquals(TOKEN, Files.readString(config.resolve("token")).strip());
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(config.resolve("token"))));
    assertEquals("Bearer " + TOKEN, node.only().authorization());
    assertEquals(TOKEN, Credentials.token(Cli.env(Map.of("AVM_CONFIG_DIR", config.toString()))));
  }

  @Test
  void aRefusedLoginSavesNothing() {
    node.answer("GET", "/api/auth/whoami", 401, new ErrorBody("unknown token 0123456789abcdef"));
    Path config = dir.resolve("config");
    Result r = Cli.interactive(Cli.env(Map.of("USER", "alice", "AVM_CONFIG_DIR", config.toString())), TOKEN + "\n",
        node.address(), "login");
    assertEquals(2, r.exit(), r::toString);
    assertFalse(Files.exists(config.resolve("token")));
  }
}

package io.actorvmm.domain.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.actorvmm.domain.EventMeta;
import org.junit.jupiter.api.Test;

/** API tokens' text and digest, and the caller text commands carry. */
class TokensTest {

  @Test
  void aTokenReadsBackAndOnlyItsOwnSecretMatches() {
    ApiToken t = ApiToken.generate();
    ApiToken read = ApiToken.parse(t.text());
    assertEquals(t, read);
    assertTrue(t.matches(t.digest()));
    assertFalse(t.matches(ApiToken.generate().digest()));
    assertNotEquals(t.secret(), t.digest());
    assertFalse(t.toString().contains(t.secret()), "a token never prints its secret");
    assertEquals(64, t.digest().length());
  }

  @Test
  void malformedTokensAreNotTokens() {
    assertNull(ApiToken.parse(null));
    assertNull(ApiToken.parse("hello"));
    assertNull(ApiToken.parse("avm.0123.abc"));
    assertNull(ApiToken.parse("avm.0123456789abcdeg.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"));
  }

  @Test
  void theCallerTextSplitsIntoPrincipalTokenAndNote() {
    Caller c = new Caller("dana", "0123456789abcdef", "deploy (night) fix\nsecond line");
    assertEquals("dana (token 0123456789abcdef; note: deploy  night  fix second line)", c.text());
    EventMeta meta = EventMeta.now(c.text());
    assertEquals("dana", meta.who());
    assertEquals("0123456789abcdef", meta.token());
    assertEquals("deploy  night  fix second line", meta.note());
    EventMeta system = EventMeta.now("system:host-agent");
    assertEquals("system:host-agent", system.who());
    assertNull(system.token());
    assertEquals("dana", Caller.parse(new Caller("dana", "0123456789abcdef", null).text()).principal());
  }
}

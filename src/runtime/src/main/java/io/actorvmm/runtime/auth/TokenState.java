package io.actorvmm.runtime.auth;

import io.actorvmm.runtime.CborSerializable;
import java.time.Instant;
import java.util.List;

/** An API token as the cluster knows it: owner, roles, expiry, revocation and the digest of its secret. */
public record TokenState(String tokenId, String owner, String secretDigest, List<String> roles, Instant expiresAt,
                         String label, String issuedBy, Instant issuedAt, Instant revokedAt) implements CborSerializable {

  /** Copies the roles. */
  public TokenState {
    roles = roles == null ? List.of() : List.copyOf(roles);
  }

  /** A token never issued. */
  public static TokenState empty(String tokenId) {
    return new TokenState(tokenId, null, null, List.of(), null, null, null, null, null);
  }

  /** True once issued. */
  public boolean exists() {
    return owner != null;
  }

  /** Why the token is refused at {@code now}, or null when it may be used. */
  public String refusal(Instant now) {
    if (revokedAt != null) return "token " + tokenId + " was revoked at " + revokedAt;
    if (expiresAt != null && !now.isBefore(expiresAt)) return "token " + tokenId + " expired at " + expiresAt;
    return null;
  }

  /** The state after {@code e}. */
  public TokenState apply(TokenEvent e) {
    if (e instanceof TokenEvent.TokenIssued i) {
      return new TokenState(tokenId, i.owner(), i.secretDigest(), i.roles(), i.expiresAt(), i.label(), i.meta().who(),
          i.meta().at(), null);
    }
    if (e instanceof TokenEvent.TokenRevoked r) {
      return new TokenState(tokenId, owner, secretDigest, roles, expiresAt, label, issuedBy, issuedAt, r.meta().at());
    }
    return this;
  }
}

package io.actorvmm.api;

import io.actorvmm.domain.auth.Caller;
import io.actorvmm.domain.auth.Grant;
import java.util.List;

/** An authenticated HTTP caller: the user a token belongs to, the token's id, its effective grants, and the caller's annotation. */
record Principal(String name, String tokenId, List<Grant> grants, String note) {

  /** Copies the grants. */
  Principal {
    grants = List.copyOf(grants);
  }

  /** The caller as commands carry it and events record it. */
  String who() {
    return new Caller(name, tokenId, note).text();
  }
}

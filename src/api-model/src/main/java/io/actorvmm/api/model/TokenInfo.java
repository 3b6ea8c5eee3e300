package io.actorvmm.api.model;

import java.util.List;

/** An API token as the API shows it, never with its secret; {@code status} is active, expired or revoked. */
public record TokenInfo(String tokenId, String owner, List<String> roles, String expiresAt, String label, String issuedBy,
                        String issuedAt, String revokedAt, String status) {}

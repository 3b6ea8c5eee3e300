package io.actorvmm.api.model;

import java.util.List;

/**
 * A token to issue: its owner (default: the caller), the roles it is narrowed to (empty: all of the
 * owner's grants), how long it lasts ({@code expiresIn}, an ISO-8601 duration such as {@code "PT8H"} or
 * seconds; null: until revoked) and a label.
 */
public record TokenBody(String owner, List<String> roles, String expiresIn, String label) {}

package io.actorvmm.api.model;

import java.util.List;

/**
 * An access decision explained: whether {@code user} holds {@code privilege} on {@code path}, the grant
 * that allows it (null when refused), the reason in one line, and the API routes that need the privilege.
 */
public record CanIInfo(String user, String privilege, String path, boolean allowed, GrantBody grant, String reason,
                       List<String> routes) {}

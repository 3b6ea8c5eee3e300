package io.actorvmm.api.model;

import java.util.List;

/** A user and its grants. */
public record UserInfo(String name, List<GrantBody> grants) {}

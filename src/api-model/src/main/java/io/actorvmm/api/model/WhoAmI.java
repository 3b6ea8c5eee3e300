package io.actorvmm.api.model;

import java.util.List;

/** The caller as the node authenticated it: principal, token id, annotation and effective grants. */
public record WhoAmI(String principal, String token, String note, List<GrantBody> grants) {}

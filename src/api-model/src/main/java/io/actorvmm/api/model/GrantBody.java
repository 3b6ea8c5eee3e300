package io.actorvmm.api.model;

/** A role on an object path: {@code {"role": "operator", "path": "/services/shop"}}. */
public record GrantBody(String role, String path) {}

package io.actorvmm.api.model;

/** A user to create. */
public record UserBody(String name) {}

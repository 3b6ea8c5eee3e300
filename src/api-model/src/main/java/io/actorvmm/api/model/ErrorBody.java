package io.actorvmm.api.model;

/** The body of every error answer: one line for the user. */
public record ErrorBody(String error) {}

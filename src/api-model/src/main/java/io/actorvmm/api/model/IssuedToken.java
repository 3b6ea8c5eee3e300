package io.actorvmm.api.model;

/** A token just issued: the only answer that ever holds its text ({@code token}); keep it, it is not shown again. */
public record IssuedToken(String token, TokenInfo info) {}

package io.actorvmm.api.model;

/** A request naming one cluster member by its address (pekko://avm@host:port). */
public record AddressBody(String address) {}

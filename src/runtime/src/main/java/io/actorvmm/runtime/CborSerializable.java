package io.actorvmm.runtime;

/** Marker for every message, event and state that crosses the cluster or reaches the journal: bound to jackson-cbor. */
public interface CborSerializable {}

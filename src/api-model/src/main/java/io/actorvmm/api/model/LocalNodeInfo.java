package io.actorvmm.api.model;

/** Told to callers on the node's own machine only: where its data directory's administrator token file is. */
public record LocalNodeInfo(String adminTokenFile) {}

package io.actorvmm.adapters;

/**
 * A VM's own data (image and data files) exported by one host, ready for another host to import.
 * {@code uri} says where it lies: {@code file:/abs/path} for a directory on a file system both hosts
 * reach, {@code sim:<host>/<vm>} for a simulated host's data.
 */
public record DataBundle(String sourceHost, String uri, long bytes) {

  /** Rejects a bundle without a location. */
  public DataBundle {
    if (uri == null || uri.isBlank()) throw new IllegalArgumentException("a data bundle needs a uri");
  }
}

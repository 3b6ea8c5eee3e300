package io.actorvmm.adapters;

/** A virtual layer refused or failed an operation; the message is the reason shown to users. */
public class AdapterException extends RuntimeException {

  /** A failure with its one-line reason. */
  public AdapterException(String message) {
    super(message);
  }

  /** A failure with its one-line reason and the error that caused it. */
  public AdapterException(String message, Throwable cause) {
    super(message, cause);
  }

  /** The failure of an operation an adapter does not offer, e.g. "live migration is not supported by libvirt". */
  public static AdapterException unsupported(String operation, String kind) {
    return new AdapterException(operation + " is not supported by " + kind);
  }
}

package io.actorvmm.adapters;

/** A virtual layer refused or failed an operation; the message is the reason shown to users. */
public class AdapterException extends RuntimeException {

  /** A failure with its one-line reason. */
  public AdapterException(String message) {
    super(message);
  }
}

package io.actorvmm.adapters.qemu;

import io.actorvmm.adapters.AdapterException;

/** QEMU answered a QMP command with an error; the message is "qmp COMMAND failed: DESCRIPTION". */
public final class QmpException extends AdapterException {

  private final String errorClass;

  /** The error QEMU gave for {@code command}. */
  public QmpException(String command, String errorClass, String description) {
    super("qmp " + command + " failed: " + description);
    this.errorClass = errorClass;
  }

  /** QEMU's error class, e.g. "GenericError", "CommandNotFound". */
  public String errorClass() {
    return errorClass;
  }
}

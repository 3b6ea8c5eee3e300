package io.actorvmm.domain.restart;

/** Why a VM that should run on its host does not. */
public enum NotRunning {
  /** It crashed (a hypervisor or program process that died, a guest that failed). */
  CRASHED("crashed"),
  /** It stopped by itself, cleanly (a guest that powered off, a program that exited with success). */
  STOPPED_BY_ITSELF("stopped by itself"),
  /** The virtual layer does not run it, and nobody saw it go. */
  MISSING("was not running"),
  /**
   * It was not running when its host's control program started again (the node restarted, the machine
   * rebooted): not the VM's fault, so such a restart does not count against its restarts.
   */
  NODE_RESTARTED("was not running");

  private final String text;

  NotRunning(String text) {
    this.text = text;
  }

  /** How messages say it: "vm db-1 crashed on h1". */
  public String text() {
    return text;
  }
}

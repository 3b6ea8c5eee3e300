package io.actorvmm.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The base of a noun (host, vm, ...): it only groups verbs, so calling it without one is bad usage. */
public abstract class NounCommand implements Callable<Integer> {

  /** The shared options, so they may also follow the noun. */
  @Mixin
  protected GlobalOptions globals;

  /** This command's model. */
  @Spec
  protected CommandSpec spec;

  /** Says which verbs exist; exit 2. */
  @Override
  public Integer call() {
    throw CliException.usage("'" + spec.qualifiedName() + "' needs a verb: "
        + String.join(", ", spec.subcommands().keySet())
        + ". Run '" + spec.qualifiedName() + " --help' for usage.");
  }
}

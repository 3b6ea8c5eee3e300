package io.actorvmm.cli.audit;

import io.actorvmm.cli.NounCommand;
import picocli.CommandLine.Command;

/** {@code avm audit ...}: the journal of everything that happened, and who did it. */
@Command(name = "audit", description = "The event journal: log, history, replay.",
    subcommands = {AuditLog.class, AuditHistory.class, AuditReplay.class})
public final class AuditCommand extends NounCommand {}

package io.actorvmm.cli.service;

import io.actorvmm.cli.NounCommand;
import picocli.CommandLine.Command;

/** {@code avm service ...}: services, named sets of applications started in order. */
@Command(name = "service", description = "Services: define, show, start, stop, status, list.",
    subcommands = {ServiceDefine.class, ServiceShow.class, ServiceStart.class, ServiceStop.class,
        ServiceStatus.class, ServiceList.class})
public final class ServiceCommand extends NounCommand {}

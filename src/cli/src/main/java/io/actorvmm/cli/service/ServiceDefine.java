package io.actorvmm.cli.service;

import io.actorvmm.api.model.ServiceInfo;
import io.actorvmm.cli.CliException;
import io.actorvmm.cli.Format;
import io.actorvmm.cli.NodeCommand;
import io.actorvmm.domain.service.ServiceSpec;
import io.actorvmm.domain.service.ServiceValidation;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code avm service define <file.json>}: defines (or redefines) a service from a JSON ServiceSpec file. */
@Command(name = "define", description = {"Define a service from a JSON file:",
    "{\"name\": \"ecommerce\", \"apps\": [{\"app\": \"web\", \"kind\": \"web\", \"replicas\": 2,",
    "  \"vm\": {\"cpuCores\": 2, \"memoryMiB\": 2048, \"runtime\": \"kvm\"}, \"after\": [\"db\"]}, ...],",
    " \"rules\": {\"distinctHosts\": [\"web\"], \"affinity\": [[\"web\", \"cache\"]], \"maxPerHost\": {\"web\": 2},",
    "  \"maxUnavailable\": 1, \"placementPolicy\": \"spread\" (or pack, cost, pack:1,cost:2),",
    "  \"autoscale\": [{\"app\": \"web\", \"upperActivity\": 0.8, \"lowerActivity\": 0.2, \"window\": \"PT5M\",",
    "    \"minReplicas\": 2, \"maxReplicas\": 6}]}}",
    "A VM spec may also set site, localSitesOnly, data (LOCAL, REPLICATED, DISPOSABLE) and restartPriority.",
    "A file that cannot be read or is not such JSON is refused before anything is sent."})
final class ServiceDefine extends NodeCommand {
  @Parameters(paramLabel = "FILE", description = "The JSON service spec.")
  Path file;

  @Override
  public Integer call() {
    ServiceSpec spec = ServiceSpecFile.read(file);
    // the domain's own checks, so a bad rule is bad usage here with the node's message and nothing is sent
    List<String> problems = ServiceValidation.problems(spec);
    if (!problems.isEmpty()) throw CliException.usage(file + ": " + problems.get(0));
    return answer(node().post("/api/services", spec), ServiceInfo.class, s -> out().println(
        "defined service " + s.name() + ": " + (s.spec() == null ? spec.apps().size() : s.spec().apps().size())
            + " applications" + (s.startOrder() == null || s.startOrder().isEmpty() ? ""
            : "; start order " + Format.startOrder(s.startOrder()))));
  }
}

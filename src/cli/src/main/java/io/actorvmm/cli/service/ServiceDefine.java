package io.actorvmm.cli.service;

import io.actorvmm.api.model.ServiceInfo;
import io.actorvmm.cli.Format;
import io.actorvmm.cli.NodeCommand;
import io.actorvmm.domain.service.ServiceSpec;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code avm service define <file.json>}: defines (or redefines) a service from a JSON ServiceSpec file. */
@Command(name = "define", description = {"Define a service from a JSON file:",
    "{\"name\": \"ecommerce\", \"apps\": [{\"app\": \"web\", \"kind\": \"web\", \"replicas\": 2,",
    "  \"vm\": {\"cpuCores\": 2, \"memoryMiB\": 2048, \"runtime\": \"kvm\"}, \"after\": [\"db\"]}, ...],",
    " \"rules\": {\"distinctHosts\": [\"web\"]}}",
    "A file that cannot be read or is not such JSON is refused before anything is sent."})
final class ServiceDefine extends NodeCommand {
  @Parameters(paramLabel = "FILE", description = "The JSON service spec.")
  Path file;

  @Override
  public Integer call() {
    ServiceSpec spec = ServiceSpecFile.read(file);
    return answer(node().post("/api/services", spec), ServiceInfo.class, s -> out().println(
        "defined service " + s.name() + ": " + (s.spec() == null ? spec.apps().size() : s.spec().apps().size())
            + " applications" + (s.startOrder() == null || s.startOrder().isEmpty() ? ""
            : "; start order " + Format.startOrder(s.startOrder()))));
  }
}

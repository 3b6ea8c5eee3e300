package io.actorvmm.api;

import io.actorvmm.runtime.AvmRuntime;
import io.actorvmm.runtime.NodeSettings;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.http.javadsl.ServerBinding;

/** A whole node: the runtime and its HTTP API. */
public final class AvmNode implements AutoCloseable {
  private final AvmRuntime runtime;
  private final ServerBinding binding;

  private AvmNode(AvmRuntime runtime, ServerBinding binding) {
    this.runtime = runtime;
    this.binding = binding;
  }

  /** Starts the node and binds its API; fails with a one-line message when the API port cannot be bound. */
  public static AvmNode start(NodeSettings settings) {
    AvmRuntime runtime = AvmRuntime.start(settings);
    Duration timeout = runtime.system().settings().config().getDuration("avm.api.ask-timeout");
    long maxBody = runtime.system().settings().config().getBytes("avm.api.max-body-size");
    try {
      ServerBinding binding = new ApiServer(runtime, timeout, maxBody).bind(settings.apiBind(), settings.apiPort())
          .toCompletableFuture().get(30, TimeUnit.SECONDS);
      runtime.system().getWhenTerminated().thenRun(() -> binding.unbind());
      return new AvmNode(runtime, binding);
    } catch (Exception e) {
      runtime.stop(Duration.ofSeconds(10));
      // the cluster refused the node while it started (its journal is not the cluster's): that is the news
      if (runtime.refusal().isPresent()) throw new IllegalStateException(runtime.refusal().get(), e);
      Throwable t = e.getCause() != null ? e.getCause() : e;
      throw new IllegalStateException("cannot bind the API to " + settings.apiBind() + ":" + settings.apiPort() + ": "
          + t.getMessage(), e);
    }
  }

  /** The runtime. */
  public AvmRuntime runtime() {
    return runtime;
  }

  /** The port the API listens on. */
  public int apiPort() {
    return binding.localAddress().getPort();
  }

  @Override
  public void close() {
    runtime.close();
  }
}

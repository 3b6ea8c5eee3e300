package io.actorvmm.runtime.agent;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;

/** The control programs running on this node, by host id: a host's entity finds its agent here. */
public final class AgentRegistry implements Extension {

  private static final ExtensionId<AgentRegistry> ID = new ExtensionId<>() {
    @Override
    public AgentRegistry createExtension(ActorSystem<?> system) {
      return new AgentRegistry();
    }
  };

  private final Map<String, ActorRef<HostAgent.Command>> agents = new ConcurrentHashMap<>();

  /** This node's registry. */
  public static AgentRegistry get(ActorSystem<?> system) {
    return ID.apply(system);
  }

  /** Records the agent of {@code hostId} on this node. */
  public void register(String hostId, ActorRef<HostAgent.Command> agent) {
    agents.put(hostId, agent);
  }

  /** Forgets the agent of {@code hostId}. */
  public void unregister(String hostId) {
    agents.remove(hostId);
  }

  /** The agent of {@code hostId} on this node, or null. */
  public ActorRef<HostAgent.Command> find(String hostId) {
    return agents.get(hostId);
  }
}

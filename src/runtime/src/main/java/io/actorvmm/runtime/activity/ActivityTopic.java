package io.actorvmm.runtime.activity;

import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.pubsub.Topic;

/**
 * The cluster-wide topic on which hosts publish their VMs' activity (Pekko's distributed
 * publish-subscribe): one local topic actor per node; subscribers anywhere receive every host's
 * measurements, which is what a service's autoscaling rules watch.
 */
public final class ActivityTopic implements Extension {

  /** The topic's name. */
  public static final String NAME = "avm-vm-activity";

  private static final ExtensionId<ActivityTopic> ID = new ExtensionId<>() {
    @Override
    public ActivityTopic createExtension(ActorSystem<?> system) {
      return new ActivityTopic(system);
    }
  };

  private final ActorRef<Topic.Command<VmActivity>> topic;

  private ActivityTopic(ActorSystem<?> system) {
    this.topic = system.systemActorOf(Topic.create(VmActivity.class, NAME), "activity-topic", Props.empty());
  }

  /** This node's topic. */
  public static ActivityTopic get(ActorSystem<?> system) {
    return ID.apply(system);
  }

  /** Publishes one measurement to every subscriber in the cluster. */
  public void publish(VmActivity a) {
    topic.tell(Topic.publish(a));
  }

  /** Subscribes {@code ref} to every host's measurements. */
  public void subscribe(ActorRef<VmActivity> ref) {
    topic.tell(Topic.subscribe(ref));
  }

  /** Ends the subscription of {@code ref}. */
  public void unsubscribe(ActorRef<VmActivity> ref) {
    topic.tell(Topic.unsubscribe(ref));
  }
}

package dev.mbl.lambda;

import dev.mbl.app.Components;
import dev.mbl.aws.AwsClients;
import dev.mbl.log.JsonLog;
import dev.mbl.settings.Settings;
import java.time.Clock;
import java.util.Map;
import software.amazon.awssdk.regions.Region;

/** Builds the handlers' collaborators from the Lambda environment. */
final class Wiring {
  private Wiring() {}

  /**
   * The collaborators of {@code function}'s handler; when Lambda initialises it for a SnapStart
   * snapshot, also primes its first invocation ({@link Priming}), which never fails this.
   */
  static Components fromEnvironment(String function) {
    Map<String, String> env = System.getenv();
    Settings settings = Settings.fromEnvironment(env);
    Components components = new Components(settings, AwsClients.create(Region.of(settings.region())),
        Clock.systemUTC(), JsonLog.stdout());
    Priming.onInitialization(env, function, components.log(), Priming::prime);
    return components;
  }
}

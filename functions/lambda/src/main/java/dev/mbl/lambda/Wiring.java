package dev.mbl.lambda;

import dev.mbl.app.Components;
import dev.mbl.aws.AwsClients;
import dev.mbl.log.JsonLog;
import dev.mbl.settings.Settings;
import java.time.Clock;
import software.amazon.awssdk.regions.Region;

/** Builds the handlers' collaborators from the Lambda environment. */
final class Wiring {
  private Wiring() {}

  static Components fromEnvironment() {
    Settings settings = Settings.fromEnvironment(System.getenv());
    return new Components(settings, AwsClients.create(Region.of(settings.region())), Clock.systemUTC(),
        JsonLog.stdout());
  }
}

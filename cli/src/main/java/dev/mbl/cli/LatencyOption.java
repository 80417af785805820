package dev.mbl.cli;

import dev.mbl.local.latency.LatencyProfile;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code --latency fast|realistic}: picocli's converter to a {@link LatencyProfile}. An unknown
 * value fails with {@link LatencyProfile#named}'s message, which names both choices.
 */
public final class LatencyOption implements ITypeConverter<LatencyProfile> {
  /** The option's description, shared by every command that takes it. */
  public static final String DESCRIPTION = "fast (the stand-ins answer at once) or realistic (AWS's latencies and "
      + "Redshift's fixed costs, docs/performance.md) (default: ${DEFAULT-VALUE}).";

  @Override
  public LatencyProfile convert(String value) {
    try {
      return LatencyProfile.named(value);
    } catch (IllegalArgumentException unknown) {
      throw new TypeConversionException(unknown.getMessage());
    }
  }
}

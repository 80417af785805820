package dev.mbl.cli.soak;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The seeded fault schedule: one random stream per fault kind, so the n-th decision of a kind is
 * the same for the same seed whatever the other kinds drew. Under concurrency which call makes
 * the n-th decision can differ between runs; the schedule itself does not. Faults are injected
 * only while {@link #active()}; every injection is counted.
 */
public final class FaultPlan {
  private final long seed;
  private final Map<FaultKind, Double> rates;
  private final Map<FaultKind, SplittableRandom> streams = new EnumMap<>(FaultKind.class);
  private final AtomicLongArray injected = new AtomicLongArray(FaultKind.values().length);
  private final AtomicBoolean active = new AtomicBoolean(true);
  private final boolean firstChanceHits;
  private final Set<FaultKind> fired = EnumSet.noneOf(FaultKind.class);

  public FaultPlan(long seed, Map<FaultKind, Double> rates) {
    this(seed, rates, false);
  }

  /**
   * @param firstChanceHits whether each kind with a rate above 0 fires at its first decision (then
   *     at its rate): a short run then meets every kind for certain
   */
  public FaultPlan(long seed, Map<FaultKind, Double> rates, boolean firstChanceHits) {
    this.firstChanceHits = firstChanceHits;
    this.seed = seed;
    this.rates = new EnumMap<>(rates);
    for (FaultKind kind : FaultKind.values()) {
      double rate = this.rates.getOrDefault(kind, 0.0);
      if (rate < 0 || rate > 1) {
        throw new IllegalArgumentException("rate of " + kind + " is " + rate + ": give 0 to 1");
      }
      streams.put(kind, new SplittableRandom(seed * 1_000_003L + kind.ordinal() * 7_919L));
    }
  }

  public long seed() {
    return seed;
  }

  public double rate(FaultKind kind) {
    return rates.getOrDefault(kind, 0.0);
  }

  /** Draws the next decision of {@code kind}: true (and counted) with the kind's rate while active. */
  public boolean next(FaultKind kind) {
    return next(kind, rate(kind));
  }

  /** As {@link #next(FaultKind)} with an explicit probability for this decision. */
  public boolean next(FaultKind kind, double probability) {
    boolean hit;
    SplittableRandom stream = streams.get(kind);
    synchronized (stream) {
      hit = stream.nextDouble() < probability;
      if (firstChanceHits && probability > 0 && active.get() && fired.add(kind)) {
        hit = true;
      }
    }
    if (hit && active.get()) {
      injected.incrementAndGet(kind.ordinal());
      return true;
    }
    return false;
  }

  /** A value from {@code kind}'s stream in [0, bound). */
  public int pick(FaultKind kind, int bound) {
    SplittableRandom stream = streams.get(kind);
    synchronized (stream) {
      return stream.nextInt(bound);
    }
  }

  /** Counts a fault the soak injected itself (bad files, overwrites, bulk runs, ...). */
  public void count(FaultKind kind) {
    injected.incrementAndGet(kind.ordinal());
  }

  public long injected(FaultKind kind) {
    return injected.get(kind.ordinal());
  }

  public boolean active() {
    return active.get();
  }

  /** Ends the fault phase: from now on the handlers meet no injected fault. */
  public void stop() {
    active.set(false);
  }
}

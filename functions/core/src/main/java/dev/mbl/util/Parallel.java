package dev.mbl.util;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * Runs one blocking AWS request per input on a few threads at once, for the steps whose cost is
 * one round trip per file (HeadObject at a batch's start, ledger writes at intake, ledger updates
 * at settlement). Results come back in input order; a task's exception is kept with its input, an
 * {@link Error} (a simulated crash in tests, an OutOfMemoryError) is rethrown at once.
 */
public final class Parallel {
  private Parallel() {}

  /** One input's outcome: its value, or the exception its task threw. */
  public record Outcome<R>(R value, RuntimeException error) {
    public boolean failed() {
      return error != null;
    }
  }

  /** Applies {@code task} to every input, at most {@code parallelism} at a time, in daemon threads named {@code name}. */
  public static <T, R> List<Outcome<R>> map(List<T> inputs, int parallelism, String name, Function<T, R> task) {
    if (inputs.isEmpty()) {
      return List.of();
    }
    if (inputs.size() == 1 || parallelism <= 1) {
      List<Outcome<R>> result = new ArrayList<>(inputs.size());
      for (T input : inputs) {
        result.add(run(task, input));
      }
      return result;
    }
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(parallelism, inputs.size()), r -> {
      Thread thread = new Thread(r, name);
      thread.setDaemon(true);
      return thread;
    });
    try {
      List<Future<Outcome<R>>> futures = new ArrayList<>(inputs.size());
      for (T input : inputs) {
        futures.add(pool.submit(() -> run(task, input)));
      }
      List<Outcome<R>> result = new ArrayList<>(inputs.size());
      for (Future<Outcome<R>> future : futures) {
        try {
          result.add(future.get());
        } catch (ExecutionException e) {
          if (e.getCause() instanceof Error error) {
            throw error;
          }
          throw new IllegalStateException(name + ": " + e.getCause(), e.getCause());
        }
      }
      return result;
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(name + ": interrupted", interrupted);
    } finally {
      pool.shutdownNow();
    }
  }

  /** As {@link #map}, but the first failure (in input order) is thrown after every task has ended. */
  public static <T> void forEach(List<T> inputs, int parallelism, String name, java.util.function.Consumer<T> task) {
    List<Outcome<Boolean>> outcomes = map(inputs, parallelism, name, input -> {
      task.accept(input);
      return Boolean.TRUE;
    });
    for (Outcome<Boolean> outcome : outcomes) {
      if (outcome.failed()) {
        throw outcome.error();
      }
    }
  }

  private static <T, R> Outcome<R> run(Function<T, R> task, T input) {
    try {
      return new Outcome<>(task.apply(input), null);
    } catch (RuntimeException e) {
      return new Outcome<>(null, e);
    }
  }
}

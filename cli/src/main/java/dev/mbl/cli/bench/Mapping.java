package dev.mbl.cli.bench;

import dev.mbl.local.LocalStackBuilder;
import dev.mbl.local.lambda.FunctionConfig;
import dev.mbl.tables.SourceMapping;
import java.time.Duration;

/**
 * How MicrobatchLoader is fed in the bench's stack. {@code local}: what {@code mbl local up} runs
 * (10 messages per invocation, no batching window, the function two invocations at a time across
 * every queue). {@code deployed}: the CDK app's defaults ({@link SourceMapping#defaults()}: 100
 * messages, the batching window, 2 concurrent invocations per queue) on a function without reserved
 * concurrency, modelled as a limit of 2 per table for the whole function.
 */
enum Mapping {
  local, deployed;

  LocalStackBuilder apply(LocalStackBuilder builder, int tables) {
    if (this == local) {
      return builder.batch(10, Duration.ZERO);
    }
    SourceMapping mapping = SourceMapping.defaults();
    return builder.batch(mapping.batchSize(), mapping.maxBatchingWindow())
        .functions(FunctionConfig.defaults().withConcurrency(mapping.maxConcurrency() * tables));
  }
}

package dev.mbl.infra;

import java.util.List;
import software.amazon.awscdk.CfnResource;
import software.amazon.awscdk.Stack;
import software.constructs.IConstruct;
import software.constructs.IValidation;

/**
 * Fails synth when the stack holds more resources than one CloudFormation stack may ("AWS CloudFormation
 * quotas": 500 resources per stack). The stack has about 70 of its own and each table adds eight
 * (queue, dead-letter queue, their policies, the event source mapping, three alarms) or nine (a
 * bulk schedule), so one stack holds roughly 50 tables; more go into further stacks (docs/deploy.md).
 */
final class ResourceLimit implements IValidation {
  static final int MAX_RESOURCES = 500;

  private final Stack stack;
  private final int tables;

  ResourceLimit(Stack stack, int tables) {
    this.stack = stack;
    this.tables = tables;
  }

  /** The CloudFormation resources the stack synthesizes. */
  static int count(Stack stack) {
    int resources = 0;
    for (IConstruct construct : stack.getNode().findAll()) {
      if (CfnResource.isCfnResource(construct)) {
        resources++;
      }
    }
    return resources;
  }

  @Override
  public List<String> validate() {
    int resources = count(stack);
    if (resources <= MAX_RESOURCES) {
      return List.of();
    }
    return List.of("stack " + stack.getStackName() + " has " + resources + " CloudFormation resources for " + tables
        + " tables; CloudFormation allows " + MAX_RESOURCES + " per stack (about 8 per table: roughly 50 tables); "
        + "fix: split the tables over several tables files and deploy each as its own stack, e.g. "
        + "-c tables=tables-a.json -c stackName=MblA and -c tables=tables-b.json -c stackName=MblB "
        + "(docs/deploy.md, \"More tables than one stack holds\")");
  }
}

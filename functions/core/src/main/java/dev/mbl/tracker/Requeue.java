package dev.mbl.tracker;

/**
 * How one claimed file goes back to pending work.
 *
 * @param workKey the work item's sort key
 * @param addAttempts added to the file's attempt count (1 after a transient failure, else 0)
 * @param notBeforeMillis epoch millis before which it must not be claimed again (0 = at once)
 * @param group the split group it joins; null for none
 */
public record Requeue(String workKey, int addAttempts, long notBeforeMillis, String group) {}

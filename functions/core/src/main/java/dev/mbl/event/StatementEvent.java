package dev.mbl.event;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One EventBridge "Redshift Data Statement Status Change" event from {@code aws.redshift-data},
 * sent when a statement submitted with {@code WithEvent=true} ends.
 *
 * @param eventId EventBridge's event id; not null
 * @param time when EventBridge says the event happened; null when the event did not say
 * @param resources the cluster or workgroup ARNs the event names; never null, may be empty
 * @param principal the IAM principal that submitted the statement; null when absent
 * @param statementName the name given at submission; null when the statement had none
 * @param statementId the Data API statement id (for a batch, the id of the whole batch); not null
 * @param redshiftQueryId Redshift's query id; -1 when unknown
 * @param state the state the statement reached; not null
 * @param rows rows affected; -1 when the event did not say
 * @param expireAt when the Data API forgets the statement; null when absent
 */
public record StatementEvent(
    String eventId,
    Instant time,
    List<String> resources,
    String principal,
    String statementName,
    String statementId,
    long redshiftQueryId,
    StatementState state,
    long rows,
    Instant expireAt) {

  /** EventBridge's {@code source} of these events. */
  public static final String SOURCE = "aws.redshift-data";
  /** EventBridge's {@code detail-type} of these events. */
  public static final String DETAIL_TYPE = "Redshift Data Statement Status Change";

  public StatementEvent {
    Objects.requireNonNull(eventId, "eventId");
    resources = List.copyOf(Objects.requireNonNull(resources, "resources"));
    Objects.requireNonNull(statementId, "statementId");
    Objects.requireNonNull(state, "state");
    if (statementId.isEmpty()) {
      throw new IllegalArgumentException("statementId must not be empty (event " + eventId + ")");
    }
  }
}

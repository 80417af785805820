package dev.mbl.local.redshift;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.UUID;

/**
 * Writes the EventBridge event the Data API sends when a statement submitted with
 * {@code WithEvent=true} ends: detail-type "Redshift Data Statement Status Change" from
 * {@code aws.redshift-data}, with the cluster or workgroup ARN as resource. Pure.
 */
final class StatusEvents {
  static final String DETAIL_TYPE = "Redshift Data Statement Status Change";
  static final String SOURCE = "aws.redshift-data";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final String region;
  private final String account;

  StatusEvents(String region, String account) {
    this.region = Objects.requireNonNull(region, "region");
    this.account = Objects.requireNonNull(account, "account");
  }

  /** The event for {@code statement}, which has ended, as JSON text. */
  String event(Statement.View statement, String eventId, Instant now) {
    ObjectNode event = JSON.createObjectNode();
    event.put("version", "0");
    event.put("id", eventId);
    event.put("detail-type", DETAIL_TYPE);
    event.put("source", SOURCE);
    event.put("account", account);
    event.put("time", now.truncatedTo(ChronoUnit.SECONDS).toString());
    event.put("region", region);
    event.putArray("resources").add(resource(statement.request()));
    ObjectNode detail = event.putObject("detail");
    detail.put("principal", "arn:aws:iam::" + account + ":user/local");
    detail.put("statementName", statement.request().statementName() == null ? ""
        : statement.request().statementName());
    detail.put("statementId", statement.id());
    detail.put("redshiftQueryId", statement.redshiftQueryId());
    detail.put("state", statement.status().name());
    detail.put("rows", statement.status() == StatementStatus.FINISHED ? statement.resultRows() : -1);
    detail.put("expireAt", now.plus(StatementStore.RETENTION).getEpochSecond());
    return event.toString();
  }

  /** An event with a fresh id, at the current time. */
  String event(Statement.View statement) {
    return event(statement, UUID.randomUUID().toString(), Instant.now());
  }

  /** The ARN of the cluster or workgroup the statement ran on. */
  String resource(SubmitRequest request) {
    if (request.clusterIdentifier() != null) {
      return "arn:aws:redshift:" + region + ":" + account + ":cluster:" + request.clusterIdentifier();
    }
    String workgroup = request.workgroupName();
    if (workgroup.startsWith("arn:")) {
      return workgroup;
    }
    UUID id = UUID.nameUUIDFromBytes(workgroup.getBytes(StandardCharsets.UTF_8));
    return "arn:aws:redshift-serverless:" + region + ":" + account + ":workgroup/" + id;
  }
}

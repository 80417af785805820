package dev.mbl.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class NextLoaderInputParserTest {
  private static final String EXPECTED = "expected a 'Redshift Data Statement Status Change' event"
      + " from aws.redshift-data, a 'Scheduled Event' from aws.events, or {\"action\":\"reconcile\"}";

  private final NextLoaderInputParser parser = new NextLoaderInputParser(new ObjectMapper());

  @Test
  void parse_finishedEvent_statusChangeWithEveryField() {
    NextLoaderInput input = parser.parse(Fixtures.bytes("redshift-data-finished.json"));

    assertThat(input).isEqualTo(new NextLoaderInput.StatusChange(new StatementEvent(
        "18e7079c-dd4b-dd64-caf9-e2a31640dab0", Instant.parse("2024-05-01T12:01:00Z"),
        List.of("arn:aws:redshift:us-east-1:123456789012:cluster:redshift-cluster-1"),
        "arn:aws:iam::123456789012:role/mbl-microbatch-loader",
        "mbl/redshift-cluster-1/dev/public.orders/b-20240501T120000Z-7f3a",
        "dd2e1ec9-2ee3-49a0-819f-905fa7d75a4a", 48213, StatementState.FINISHED, 1250,
        Instant.ofEpochSecond(1714737600))));
  }

  @Test
  void parse_failedEvent_failedWithUnknownRows() {
    StatementEvent event = statusChange(parser.parse(Fixtures.bytes("redshift-data-failed.json")));

    assertThat(event.state()).isEqualTo(StatementState.FAILED);
    assertThat(event.statementId()).isEqualTo("0b3f6c2a-91d4-4e7b-a5c8-6d2e1f0a9b7c");
    assertThat(event.redshiftQueryId()).isEqualTo(48214);
    assertThat(event.rows()).isEqualTo(-1);
  }

  @Test
  void parse_abortedEventWithoutName_nullName() {
    StatementEvent event = statusChange(parser.parse(Fixtures.bytes("redshift-data-aborted.json")));

    assertThat(event.state()).isEqualTo(StatementState.ABORTED);
    assertThat(event.statementId()).isEqualTo("7c9e2d41-5a3b-4f8e-b1d6-0e4f2a8c3b95");
    assertThat(event.statementName()).isNull();
    assertThat(event.redshiftQueryId()).isEqualTo(-1);
  }

  @Test
  void parse_minimalEvent_defaultsForAbsentFields() {
    StatementEvent event = statusChange(parser.parse(json("{\"id\":\"e1\","
        + "\"detail-type\":\"Redshift Data Statement Status Change\",\"source\":\"aws.redshift-data\","
        + "\"detail\":{\"statementId\":\"s1\",\"statementName\":null,\"state\":\"FINISHED\"}}")));

    assertThat(event).isEqualTo(new StatementEvent("e1", null, List.of(), null, null, "s1", -1,
        StatementState.FINISHED, -1, null));
  }

  @Test
  void parse_scheduledEvent_reconcileNamingRule() {
    NextLoaderInput input = NextLoaderInputParser.create().parse(Fixtures.bytes("scheduled-event.json"));

    assertThat(input).isEqualTo(new NextLoaderInput.Reconcile(
        "schedule arn:aws:events:us-east-1:123456789012:rule/mbl-reconcile-every-minute"));
  }

  @Test
  void parse_scheduledEventWithoutResources_reconcileSchedule() {
    NextLoaderInput input = parser.parse(json(
        "{\"detail-type\":\"Scheduled Event\",\"source\":\"aws.events\",\"detail\":{}}"));

    assertThat(input).isEqualTo(new NextLoaderInput.Reconcile("schedule"));
  }

  @Test
  void parse_manualReconcile_reconcileManual() {
    assertThat(parser.parse(json("{\"action\":\"reconcile\"}")))
        .isEqualTo(new NextLoaderInput.Reconcile("manual"));
  }

  @Test
  void parse_otherAction_namesSupportedAction() {
    assertThatThrownBy(() -> parser.parse(json("{\"action\":\"drop-everything\"}")))
        .isInstanceOf(MalformedEventException.class)
        .hasMessage("the manual invocation has action 'drop-everything'; the only supported action"
            + " is 'reconcile'");
    assertThatThrownBy(() -> parser.parse(json("{\"action\":7}")))
        .hasMessage("the manual invocation has action '7'; the only supported action is 'reconcile'");
  }

  @Test
  void parse_otherEvent_namesWhatItExpected() {
    assertThatThrownBy(() -> parser.parse(Fixtures.bytes("malformed-unknown-shape.json")))
        .isInstanceOf(MalformedEventException.class)
        .hasMessage("NextLoader input is an event with detail-type 'EC2 Instance State-change"
            + " Notification' from source 'aws.ec2'; " + EXPECTED
            + "; check the EventBridge rules that target NextLoader");
  }

  @Test
  void parse_unknownShape_listsFields() {
    assertThatThrownBy(() -> parser.parse(json("{\"foo\":1,\"bar\":2}")))
        .hasMessage("NextLoader input has an unknown shape with fields '{foo, bar}'; " + EXPECTED);
  }

  @Test
  void parse_notJsonOrEmpty_rejected() {
    assertThatThrownBy(() -> parser.parse(json("reconcile please")))
        .hasMessageStartingWith("NextLoader input is not JSON at line 1 column 1 ('Unrecognized token 'reconcile'")
        .hasMessageEndingWith("); it starts with 'reconcile please'");
    assertThatThrownBy(() -> parser.parse(new byte[0]))
        .hasMessage("NextLoader input is empty; expected a JSON object");
  }

  @Test
  void parse_nonTerminalOrUnknownState_rejected() {
    assertThatThrownBy(() -> parser.parse(event("\"statementId\":\"s1\",\"state\":\"STARTED\"")))
        .hasMessage("the Redshift Data status change event e1 has detail.state 'STARTED';"
            + " expected FINISHED, FAILED or ABORTED");
    assertThatThrownBy(() -> parser.parse(event("\"statementId\":\"s1\",\"state\":\"finished\"")))
        .hasMessage("the Redshift Data status change event e1 has detail.state 'finished';"
            + " expected FINISHED, FAILED or ABORTED");
  }

  @Test
  void parse_missingStatementId_rejected() {
    assertThatThrownBy(() -> parser.parse(event("\"state\":\"FINISHED\"")))
        .hasMessage("the Redshift Data status change event e1 has no detail.statementId");
  }

  @Test
  void parse_badRowsOrTime_rejected() {
    assertThatThrownBy(() -> parser.parse(event("\"statementId\":\"s\",\"state\":\"FAILED\",\"rows\":\"x\"")))
        .hasMessage("the Redshift Data status change event e1 has detail.rows '\"x\"', which is not"
            + " a whole number");
    assertThatThrownBy(() -> parser.parse(json("{\"id\":\"e1\",\"time\":\"yesterday\","
        + "\"detail-type\":\"Redshift Data Statement Status Change\",\"source\":\"aws.redshift-data\","
        + "\"detail\":{\"statementId\":\"s\",\"state\":\"FAILED\"}}")))
        .hasMessage("the Redshift Data status change event e1 has a time that is not ISO-8601 UTC:"
            + " 'yesterday'");
  }

  @Test
  void parse_missingIdOrDetail_rejected() {
    assertThatThrownBy(() -> parser.parse(json("{\"detail-type\":\"Redshift Data Statement Status"
        + " Change\",\"source\":\"aws.redshift-data\",\"detail\":{}}")))
        .hasMessage("the Redshift Data status change event has no id");
    assertThatThrownBy(() -> parser.parse(json("{\"id\":\"e1\",\"detail-type\":\"Redshift Data"
        + " Statement Status Change\",\"source\":\"aws.redshift-data\"}")))
        .hasMessage("the Redshift Data status change event e1 has no detail object");
  }

  @Test
  void parseStatementEvent_finished_event() {
    StatementEvent event = parser.parseStatementEvent(Fixtures.bytes("redshift-data-finished.json"));

    assertThat(event.state().terminal()).isTrue();
    assertThat(event.rows()).isEqualTo(1250);
  }

  @Test
  void parseStatementEvent_scheduledEvent_rejected() {
    assertThatThrownBy(() -> parser.parseStatementEvent(Fixtures.bytes("scheduled-event.json")))
        .isInstanceOf(MalformedEventException.class)
        .hasMessage("the Redshift Data status change event has detail-type 'Scheduled Event' and"
            + " source 'aws.events'; expected 'Redshift Data Statement Status Change' from"
            + " aws.redshift-data");
  }

  private static StatementEvent statusChange(NextLoaderInput input) {
    assertThat(input).isInstanceOf(NextLoaderInput.StatusChange.class);
    return ((NextLoaderInput.StatusChange) input).event();
  }

  private static byte[] event(String detailFields) {
    return json("{\"id\":\"e1\",\"detail-type\":\"Redshift Data Statement Status Change\","
        + "\"source\":\"aws.redshift-data\",\"detail\":{" + detailFields + "}}");
  }

  private static byte[] json(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}

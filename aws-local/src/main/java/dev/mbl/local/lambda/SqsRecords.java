package dev.mbl.local.lambda;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/** Turns received SQS messages into the records Lambda hands an SQS-triggered function. Pure. */
final class SqsRecords {
  private SqsRecords() {}

  static SQSEvent event(List<Message> messages, String queueArn, String region) {
    List<SQSEvent.SQSMessage> records = new ArrayList<>(messages.size());
    for (Message message : messages) {
      records.add(record(message, queueArn, region));
    }
    SQSEvent event = new SQSEvent();
    event.setRecords(records);
    return event;
  }

  static SQSEvent.SQSMessage record(Message message, String queueArn, String region) {
    SQSEvent.SQSMessage record = new SQSEvent.SQSMessage();
    record.setMessageId(message.messageId());
    record.setReceiptHandle(message.receiptHandle());
    record.setBody(message.body());
    record.setAttributes(new LinkedHashMap<>(message.attributesAsStrings()));
    Map<String, SQSEvent.MessageAttribute> attributes = new LinkedHashMap<>();
    message.messageAttributes().forEach((name, value) -> attributes.put(name, attribute(value)));
    record.setMessageAttributes(attributes);
    record.setMd5OfBody(message.md5OfBody());
    record.setMd5OfMessageAttributes(message.md5OfMessageAttributes());
    record.setEventSource("aws:sqs");
    record.setEventSourceArn(queueArn);
    record.setAwsRegion(region);
    return record;
  }

  private static SQSEvent.MessageAttribute attribute(MessageAttributeValue value) {
    SQSEvent.MessageAttribute attribute = new SQSEvent.MessageAttribute();
    attribute.setDataType(value.dataType());
    attribute.setStringValue(value.stringValue());
    attribute.setBinaryValue(value.binaryValue() == null ? null : value.binaryValue().asByteBuffer());
    attribute.setStringListValues(new ArrayList<>(value.stringListValues()));
    List<ByteBuffer> binaries = new ArrayList<>();
    value.binaryListValues().forEach(b -> binaries.add(b.asByteBuffer()));
    attribute.setBinaryListValues(binaries);
    return attribute;
  }
}

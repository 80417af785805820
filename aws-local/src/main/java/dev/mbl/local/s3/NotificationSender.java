package dev.mbl.local.s3;

/** Delivers one notification body to one queue (SQS SendMessage in the local stack). */
@FunctionalInterface
public interface NotificationSender {
  void send(String queueUrl, String body);
}

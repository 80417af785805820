package dev.mbl.cli.bench;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * An item's size as DynamoDB bills it ("Item sizes and formats", Amazon DynamoDB Developer Guide):
 * each attribute's name in UTF-8 bytes plus its value: a string's UTF-8 bytes, a binary's bytes, a
 * number about one byte per two significant digits plus one, a boolean or null one byte, a list or
 * map 3 bytes plus its elements (and, for a map, their names) plus one byte each.
 */
final class ItemSize {
  private ItemSize() {}

  static long of(Map<String, AttributeValue> item) {
    long size = 0;
    for (Map.Entry<String, AttributeValue> attribute : item.entrySet()) {
      size += utf8(attribute.getKey()) + value(attribute.getValue());
    }
    return size;
  }

  /** Write units of one standard write of an item this size: 1 per KB, rounded up, at least 1. */
  static long writeUnits(long bytes) {
    return Math.max(1, (bytes + 1023) / 1024);
  }

  private static long value(AttributeValue value) {
    if (value.s() != null) {
      return utf8(value.s());
    }
    if (value.n() != null) {
      return number(value.n());
    }
    if (value.b() != null) {
      return value.b().asByteArray().length;
    }
    if (value.bool() != null || Boolean.TRUE.equals(value.nul())) {
      return 1;
    }
    if (value.hasL()) {
      return 3 + value.l().stream().mapToLong(v -> value(v) + 1).sum();
    }
    if (value.hasM()) {
      return 3 + value.m().entrySet().stream().mapToLong(e -> utf8(e.getKey()) + value(e.getValue()) + 1).sum();
    }
    if (value.hasSs()) {
      return value.ss().stream().mapToLong(ItemSize::utf8).sum();
    }
    if (value.hasNs()) {
      return value.ns().stream().mapToLong(ItemSize::number).sum();
    }
    if (value.hasBs()) {
      return value.bs().stream().mapToLong(b -> b.asByteArray().length).sum();
    }
    return 0;
  }

  private static long number(String n) {
    String digits = new BigDecimal(n).stripTrailingZeros().unscaledValue().abs().toString();
    return (digits.length() + 1) / 2 + 1;
  }

  private static long utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }
}

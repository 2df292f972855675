package dev.tandem.sample.chat;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * When a message was sent, as a person reads it: {@code 14:05} today, {@code 3 Mar 14:05} earlier
 * this year, {@code 3 Mar 2024 14:05} before. A message's {@code order} is the epoch milliseconds
 * its sender's clock showed (at least one more than their previous message's).
 */
final class MessageTime {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT);
  private static final DateTimeFormatter DAY =
      DateTimeFormatter.ofPattern("d MMM HH:mm", Locale.ENGLISH);
  private static final DateTimeFormatter DAY_AND_YEAR =
      DateTimeFormatter.ofPattern("d MMM yyyy HH:mm", Locale.ENGLISH);

  private MessageTime() {}

  static String format(long epochMillis, LocalDate today, ZoneId zone) {
    ZonedDateTime sent = Instant.ofEpochMilli(epochMillis).atZone(zone);
    if (sent.toLocalDate().equals(today)) return TIME.format(sent);
    if (sent.getYear() == today.getYear()) return DAY.format(sent);
    return DAY_AND_YEAR.format(sent);
  }

  /** In the system's time zone, against today's date there. */
  static String format(long epochMillis) {
    ZoneId zone = ZoneId.systemDefault();
    return format(epochMillis, LocalDate.now(zone), zone);
  }
}

package dev.tandem.sample.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

class MessageTimeTest {
  static final ZoneId PARIS = ZoneId.of("Europe/Paris");
  static final LocalDate TODAY = LocalDate.of(2025, 3, 14);

  static long at(int year, int month, int day, int hour, int minute) {
    return ZonedDateTime.of(year, month, day, hour, minute, 59, 0, PARIS)
        .toInstant()
        .toEpochMilli();
  }

  @Test
  void todayShowsHoursAndMinutes() {
    assertEquals("09:05", MessageTime.format(at(2025, 3, 14, 9, 5), TODAY, PARIS));
    assertEquals("00:00", MessageTime.format(at(2025, 3, 14, 0, 0), TODAY, PARIS));
  }

  @Test
  void anotherDayThisYearShowsTheDate() {
    assertEquals("13 Mar 23:59", MessageTime.format(at(2025, 3, 13, 23, 59), TODAY, PARIS));
  }

  @Test
  void anEarlierYearShowsTheYear() {
    assertEquals("31 Dec 2024 18:30", MessageTime.format(at(2024, 12, 31, 18, 30), TODAY, PARIS));
  }

  @Test
  void theDayIsTheViewersNotUtcs() {
    // 00:30 in Paris on the 14th is still the 13th in UTC: today for a viewer in Paris.
    assertEquals("00:30", MessageTime.format(at(2025, 3, 14, 0, 30), TODAY, PARIS));
  }
}

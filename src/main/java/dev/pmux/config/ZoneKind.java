package dev.pmux.config;

import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.time.temporal.Temporal;
import java.time.temporal.TemporalAccessor;
import java.time.temporal.TemporalField;
import java.time.temporal.TemporalQueries;
import java.time.temporal.TemporalUnit;
import java.time.temporal.ValueRange;

/**
 * Zero-width formatter fields that gate optional sections by the kind of zone being printed: Go
 * prints a zone abbreviation ({@code MST}) as the name when there is one, {@code UTC} for UTC, else
 * the offset as {@code -0700}. A section whose gate is unsupported is skipped by {@link
 * java.time.format.DateTimeFormatter}.
 */
enum ZoneKind implements TemporalField {
  /** A region such as Europe/Berlin or Etc/UTC, which has abbreviations. */
  REGION,
  /** The fixed offset +00:00, which Go names UTC. */
  ZERO_OFFSET,
  /** Any other fixed offset, which has no name in Go. */
  OTHER_OFFSET;

  @Override
  public boolean isSupportedBy(TemporalAccessor temporal) {
    ZoneId zone = temporal.query(TemporalQueries.zone());
    if (zone == null) {
      return false;
    }
    if (!(zone instanceof ZoneOffset offset)) {
      return this == REGION;
    }
    return this == (offset.getTotalSeconds() == 0 ? ZERO_OFFSET : OTHER_OFFSET);
  }

  @Override
  public long getFrom(TemporalAccessor temporal) {
    return 0;
  }

  @Override
  public TemporalUnit getBaseUnit() {
    return ChronoUnit.FOREVER;
  }

  @Override
  public TemporalUnit getRangeUnit() {
    return ChronoUnit.FOREVER;
  }

  @Override
  public ValueRange range() {
    return ValueRange.of(0, 0);
  }

  @Override
  public boolean isDateBased() {
    return false;
  }

  @Override
  public boolean isTimeBased() {
    return false;
  }

  @Override
  public ValueRange rangeRefinedBy(TemporalAccessor temporal) {
    return range();
  }

  @Override
  public <R extends Temporal> R adjustInto(R temporal, long newValue) {
    throw new UnsupportedOperationException("a formatting gate only");
  }
}

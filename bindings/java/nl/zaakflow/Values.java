package nl.zaakflow;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;

import nl.zaakflow.swig.param_list;
import nl.zaakflow.swig.param_value;
import nl.zaakflow.swig.type;

/** Conversions between Java values and the library's (type, text) values. */
final class Values {
    /** ZF_DATE_NONE. */
    static final int DATE_NONE = Integer.MIN_VALUE;

    private Values() {
    }

    /** The time zone of a legal date: a Dutch calendar date. */
    static final ZoneId AMSTERDAM = ZoneId.of("Europe/Amsterdam");

    static int day(LocalDate date, String name) {
        Objects.requireNonNull(date, name);
        return day(date);
    }

    static int day(LocalDate date) {
        Objects.requireNonNull(date, "date");
        long d = date.toEpochDay();
        if (date.getYear() < 1 || date.getYear() > 9999) {
            throw new RangeException(-9, "date outside the years 1-9999: " + date, "", 0, 0);
        }
        return (int) d;
    }

    static LocalDate date(int day) {
        return day == DATE_NONE ? null : LocalDate.ofEpochDay(day);
    }

    /**
     * The legal date of a point in time: its calendar date in Europe/Amsterdam
     * (23:30 UTC on 13 April 2026 is 14 April there).
     */
    static LocalDate legalDate(Object v) {
        if (v instanceof ZonedDateTime) {
            return ((ZonedDateTime) v).withZoneSameInstant(AMSTERDAM).toLocalDate();
        }
        if (v instanceof OffsetDateTime) {
            return ((OffsetDateTime) v).atZoneSameInstant(AMSTERDAM).toLocalDate();
        }
        return ((Instant) v).atZone(AMSTERDAM).toLocalDate();
    }

    /** A Java value as the text the library parses for the declared type. */
    static String text(Object v, String name) {
        if (v instanceof Boolean) {
            return ((Boolean) v) ? "true" : "false";
        }
        if (v instanceof LocalDate) {
            return v.toString();
        }
        if (v instanceof ZonedDateTime || v instanceof OffsetDateTime || v instanceof Instant) {
            return legalDate(v).toString();
        }
        if (v instanceof LocalDateTime) {
            throw new IllegalArgumentException(name + ": a LocalDateTime has no time zone, so "
                + "its legal date is unknown; pass a LocalDate, or a ZonedDateTime, "
                + "OffsetDateTime or Instant, whose calendar date in Europe/Amsterdam is taken");
        }
        if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte
            || v instanceof java.math.BigInteger) {
            return v.toString();
        }
        if (v instanceof BigDecimal) {
            return ((BigDecimal) v).toPlainString();
        }
        if (v instanceof CharSequence) {
            return v.toString();
        }
        throw new IllegalArgumentException(name + ": cannot pass " + v.getClass().getName()
            + " to zaakflow (use Boolean, Integer, Long, BigDecimal, LocalDate, ZonedDateTime, "
            + "OffsetDateTime, Instant or String)");
    }

    /** A new param_list (delete() it) or null for no values. */
    static param_list params(Map<String, ?> values) {
        if (values == null || values.isEmpty()) {
            return null;
        }
        param_list pl = new param_list();
        try {
            for (Map.Entry<String, ?> e : values.entrySet()) {
                String name = Objects.requireNonNull(e.getKey(), "a parameter name");
                if (e.getValue() != null) {
                    pl.add(name, text(e.getValue(), name));
                }
            }
        } catch (RuntimeException ex) {
            pl.delete();
            throw ex;
        }
        return pl;
    }

    static String roles(Collection<String> roles) {
        if (roles == null) {
            return "";
        }
        for (String r : roles) {
            Objects.requireNonNull(r, "a role");
        }
        return String.join(" ", roles);
    }

    /** (type, text) from the library -> Boolean, Long, BigDecimal, LocalDate or String. */
    static Object value(int t, String text) {
        if (t == type.TYPE_VOID) {
            return null;
        }
        if (t == type.TYPE_BOOL) {
            return "true".equals(text);
        }
        if (t == type.TYPE_INT) {
            return Long.valueOf(text);
        }
        if (t == type.TYPE_MONEY) {
            return new BigDecimal(text);
        }
        if (t == type.TYPE_DATE) {
            return LocalDate.parse(text);
        }
        return text; /* duration ("6w"), string, enum value name */
    }

    static Object value(param_value pv) {
        StringBuilder sb = new StringBuilder();
        pv.value_text(sb);
        return value(pv.value_type(), sb.toString());
    }
}

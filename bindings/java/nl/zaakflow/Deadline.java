package nl.zaakflow;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

import nl.zaakflow.swig.atw_mode;
import nl.zaakflow.swig.term_result;
import nl.zaakflow.swig.term_spec;

/**
 * The last day of a statutory term (Awb 6:8, Algemene termijnenwet):
 * {@code Deadline.compute(LocalDate.of(2026, 4, 3), "6w").lastDay()}.
 */
public final class Deadline {
    /** Options of {@link #compute(LocalDate, String, Options)}. */
    public static final class Options {
        private final List<LocalDate[]> suspensions = new ArrayList<>();
        private final List<String> extensions = new ArrayList<>();
        private boolean atw = true;

        /** A suspension (opschorting, Awb 4:15) from the day after `from` up to `to`. */
        public Options suspend(LocalDate from, LocalDate to) {
            suspensions.add(new LocalDate[] {Objects.requireNonNull(from, "from"),
                                             Objects.requireNonNull(to, "to")});
            return this;
        }

        /** An extension (verdaging, Awb 7:10 lid 3) such as "6w", in the order granted. */
        public Options extend(String by) {
            extensions.add(Objects.requireNonNull(by, "by"));
            return this;
        }

        /** false when a statute excludes the Algemene termijnenwet (Awb 4:17). */
        public Options atw(boolean on) {
            atw = on;
            return this;
        }
    }

    private final LocalDate firstDay;
    private final LocalDate nominalEnd;
    private final LocalDate lastDay;
    private final int suspendedDays;
    private final boolean atwApplied;
    private final String length;
    private final String explanation;

    private Deadline(term_result r) {
        firstDay = Values.date(r.getFirst_day());
        nominalEnd = Values.date(r.getNominal_end());
        lastDay = Values.date(r.getEnd());
        suspendedDays = r.getSuspended_days();
        atwApplied = r.getAtw_applied() != 0;
        length = r.length_given();
        StringBuilder sb = new StringBuilder();
        r.explain(sb);
        explanation = sb.toString();
    }

    /** A term of `length` ("6w", "14d", "3m", "1y") triggered on `from`, Atw calendar. */
    public static Deadline compute(LocalDate from, String length) {
        return compute(from, length, new Options());
    }

    public static Deadline compute(LocalDate from, String length, Options options) {
        int day = Values.day(from, "from");
        Objects.requireNonNull(length, "length");
        Objects.requireNonNull(options, "options");
        term_spec spec = new term_spec(day, length);
        try {
            spec.setAtw(options.atw ? atw_mode.ATW_AUTO : atw_mode.ATW_OFF);
            for (LocalDate[] s : options.suspensions) {
                spec.add_suspension(Values.day(s[0]), Values.day(s[1]));
            }
            for (String e : options.extensions) {
                spec.add_extension(e);
            }
            term_result r = spec.compute();
            try {
                return new Deadline(r);
            } finally {
                r.delete();
            }
        } finally {
            spec.delete();
        }
    }

    /** The day the term starts: the day after the trigger (Awb 6:8). */
    public LocalDate firstDay() {
        return firstDay;
    }

    public LocalDate nominalEnd() {
        return nominalEnd;
    }

    /** The last day on which an act is in time. */
    public LocalDate lastDay() {
        return lastDay;
    }

    public int suspendedDays() {
        return suspendedDays;
    }

    /** Whether the Algemene termijnenwet moved the end. */
    public boolean atwApplied() {
        return atwApplied;
    }

    public String length() {
        return length;
    }

    /** The computation in words, one step a line. */
    public String explanation() {
        return explanation;
    }

    /** The explanation's lines. */
    public List<String> steps() {
        List<String> out = new ArrayList<>();
        for (String l : explanation.split("\n")) {
            if (!l.isEmpty()) {
                out.add(l);
            }
        }
        return Collections.unmodifiableList(out);
    }

    @Override
    public String toString() {
        return lastDay.toString();
    }
}

package nl.zaakflow;

import java.time.LocalDate;
import java.util.Objects;

/**
 * What a snapshot is of, read without its definition ({@link #of(String)}):
 * the process id, version and hash of the definition to restore it with, the
 * case date, steps, closed or open, the next due day and its term, journal
 * entries, and whether it is sealed with a key. Plain data.
 */
public final class SnapshotInfo {
    private final String process, version, hash, outcome, nextTerm;
    private final LocalDate date, nextDue;
    private final long steps, journalEntries;
    private final boolean finished, sealed;

    private SnapshotInfo(nl.zaakflow.swig.snapshot_summary s) {
        process = s.getProcess();
        version = s.getVersion();
        hash = s.getHash();
        date = Values.date(s.getDate());
        steps = s.getSeq();
        finished = s.getFinished() != 0;
        outcome = s.getOutcome().isEmpty() ? null : s.getOutcome();
        nextDue = Values.date(s.getNext_due());
        nextTerm = s.getNext_term().isEmpty() ? null : s.getNext_term();
        journalEntries = s.getJournal_entries();
        sealed = s.getSealed() != 0;
    }

    /**
     * Read snapshot XML; its SHA-256 digest is checked.
     * @throws SnapshotException corrupt, or not a snapshot
     * @throws ParseException not well-formed XML
     */
    public static SnapshotInfo of(String xml) {
        return of(Objects.requireNonNull(xml, "xml"), null);
    }

    /**
     * Read snapshot XML sealed with the host's key (its text as UTF-8): the digest
     * and the HMAC are checked; a snapshot not sealed with the key is refused. A null
     * key: none (as {@link #of(String)}).
     * @throws SnapshotException corrupt, not sealed with the key, or not a snapshot
     */
    public static SnapshotInfo of(String xml, @Nullable String key) {
        Objects.requireNonNull(xml, "xml");
        return new SnapshotInfo(
            nl.zaakflow.swig.core.snapshot_info(xml, key == null ? "" : key));
    }

    public String process() {
        return process;
    }
    public String version() {
        return version;
    }
    /** The definition's content hash (SHA-256, lower-case hex). */
    public String hash() {
        return hash;
    }
    /** The case date. */
    public LocalDate date() {
        return date;
    }
    /** Steps the case has run. */
    public long steps() {
        return steps;
    }
    /** Whether the case is closed. */
    public boolean finished() {
        return finished;
    }
    /** The outcome of its final state, or null. */
    public String outcome() {
        return outcome;
    }
    /** The earliest last day of a running term, or null. */
    public LocalDate nextDue() {
        return nextDue;
    }
    /** That term's id, or null. */
    public String nextTerm() {
        return nextTerm;
    }
    public long journalEntries() {
        return journalEntries;
    }
    /** Whether it carries an HMAC (sealed with a host key). */
    public boolean sealed() {
        return sealed;
    }
}

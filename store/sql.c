/* The one schema and the SQL statements of the case store, written once for
 * both drivers. Tokens in braces are replaced by the driver's dialect
 * (zs_sql_expand): {id} an identity primary key, {blob} a binary column,
 * {date} a date column (SQLite: ISO text; PostgreSQL: date), {now} the
 * database clock in milliseconds (leases only), {skip_locked} the row locks of
 * a claim, {lock_case} the row lock of a change. Parameters are written `?`; PostgreSQL
 * gets $1, $2, ... */
#include "store_int.h"

#include <string.h>

/* Schema steps: step k turns a store at version k-1 into version k. A store is
 * created by running every step in order, so a fresh store and an upgraded one
 * are the same. Never change a released step: add one. */
static const char *const schema_steps[] = {
    NULL,
    /* 1: cases, journal, due index, outbox. */
    "CREATE TABLE zf_schema (version INTEGER NOT NULL);"
    "INSERT INTO zf_schema (version) VALUES (0);"
    "CREATE TABLE zf_definitions ("
    "  seq {id},"
    "  hash TEXT NOT NULL UNIQUE,"
    "  process TEXT NOT NULL,"
    "  version TEXT NOT NULL,"
    "  title TEXT,"
    "  xml TEXT NOT NULL);"
    "CREATE INDEX zf_definitions_process ON zf_definitions (process, seq);"
    "CREATE TABLE zf_cases ("
    "  id {id},"
    "  process TEXT NOT NULL,"
    "  hash TEXT NOT NULL REFERENCES zf_definitions (hash),"
    "  revision BIGINT NOT NULL,"
    "  started {date} NOT NULL,"
    "  case_date {date} NOT NULL,"
    "  active TEXT NOT NULL,"
    "  finished INTEGER NOT NULL,"
    "  outcome TEXT,"
    "  next_due {date},"
    "  next_term TEXT,"
    "  parent BIGINT REFERENCES zf_cases (id),"
    "  relation TEXT CHECK (relation IN ('vervolg', 'deelzaak')),"
    "  snapshot TEXT NOT NULL,"
    "  lease_owner TEXT,"
    "  lease_until BIGINT);"
    "CREATE INDEX zf_cases_next_due ON zf_cases (next_due) WHERE next_due IS NOT NULL;"
    "CREATE INDEX zf_cases_parent ON zf_cases (parent) WHERE parent IS NOT NULL;"
    "CREATE INDEX zf_cases_process ON zf_cases (process, id);"
    "CREATE TABLE zf_journal ("
    "  case_id BIGINT NOT NULL REFERENCES zf_cases (id),"
    "  seq BIGINT NOT NULL,"
    "  revision BIGINT NOT NULL,"
    "  day {date} NOT NULL,"
    "  event TEXT,"
    "  actor TEXT,"
    "  items TEXT NOT NULL,"
    "  PRIMARY KEY (case_id, seq));"
    "CREATE TABLE zf_due ("
    "  case_id BIGINT NOT NULL REFERENCES zf_cases (id),"
    "  term TEXT NOT NULL,"
    "  ord INTEGER NOT NULL,"
    "  process TEXT NOT NULL,"
    "  last_day {date} NOT NULL,"
    "  title TEXT,"
    "  basis TEXT,"
    "  PRIMARY KEY (case_id, term));"
    "CREATE INDEX zf_due_last_day ON zf_due (last_day);"
    "CREATE TABLE zf_outbox ("
    "  id {id},"
    "  case_id BIGINT NOT NULL REFERENCES zf_cases (id),"
    "  revision BIGINT NOT NULL,"
    "  idem_key TEXT NOT NULL UNIQUE,"
    "  kind TEXT NOT NULL CHECK (kind IN ('notify', 'spawn')),"
    "  day {date} NOT NULL,"
    "  addressee TEXT,"
    "  body TEXT,"
    "  process TEXT,"
    "  relation TEXT,"
    "  spawned BIGINT,"
    "  payload TEXT NOT NULL,"
    "  status TEXT NOT NULL DEFAULT 'pending'"
    "    CHECK (status IN ('pending', 'claimed', 'done')),"
    "  attempts INTEGER NOT NULL DEFAULT 0,"
    "  lease_owner TEXT,"
    "  lease_until BIGINT,"
    "  last_error TEXT);"
    "CREATE INDEX zf_outbox_open ON zf_outbox (id) WHERE status <> 'done';"
    "CREATE INDEX zf_outbox_case ON zf_outbox (case_id);",
    /* 2: who must act on a term (the party of the definition's term; the rows of
       a version 1 store get theirs from their definitions, store.c fill_party),
       and the compact binary form of a case beside its XML snapshot. */
    "ALTER TABLE zf_due ADD COLUMN party TEXT;"
    "CREATE INDEX zf_due_party ON zf_due (party, last_day);"
    "ALTER TABLE zf_cases ADD COLUMN compact {blob};",
    /* 3: definitions keyed by their canonical hash (zf_definition_hash(): the
       meaning, not the bytes; the rows and cases of a version 2 store are keyed
       anew, store.c rekey) and their validity (valid-from, valid-until), by
       which a case start picks the version as zf_registry_pick() does. */
    "ALTER TABLE zf_definitions ADD COLUMN valid_from {date};"
    "ALTER TABLE zf_definitions ADD COLUMN valid_until {date};",
};

const char *zs_schema_step(int version) {
    if (version < 1 || version > ZF_STORE_SCHEMA_VERSION)
        return NULL;
    return schema_steps[version];
}

/* The summary columns of a case, in the order of zf_store_case_info. */
#define CASE_COLS                                                                        \
    "c.id, c.revision, c.process, d.version, c.hash, c.started, c.case_date, c.active, " \
    "c.finished, c.outcome, c.next_due, c.next_term, c.parent, c.relation"
#define OUTBOX_COLS                                                                      \
    "id, case_id, revision, idem_key, kind, day, addressee, body, process, relation, "   \
    "spawned, payload, status, attempts, last_error"

static const char *const statements[ZS_SQL_COUNT] = {
    [ZS_SCHEMA_VERSION] = "SELECT version FROM zf_schema",
    [ZS_DEF_BY_HASH] = "SELECT hash, process, version, xml, valid_from, valid_until "
                       "FROM zf_definitions WHERE hash = ?",
    [ZS_DEF_BY_VERSION] = "SELECT hash, process, version, xml, valid_from, valid_until "
                          "FROM zf_definitions WHERE process = ? AND version = ?",
    /* The versions of a process, for a pick by date (zs_pick). */
    [ZS_DEF_VERSIONS] = "SELECT hash, process, version, valid_from, valid_until "
                        "FROM zf_definitions WHERE process = ? ORDER BY seq",
    [ZS_DEF_INSERT] = "INSERT INTO zf_definitions (hash, process, version, title, xml, "
                      "valid_from, valid_until) VALUES (?, ?, ?, ?, ?, ?, ?) "
                      "ON CONFLICT (hash) DO NOTHING",
    /* The same meaning added with another validity: the text added last is kept. */
    [ZS_DEF_UPDATE] = "UPDATE zf_definitions SET title = ?, xml = ?, valid_from = ?, "
                      "valid_until = ? WHERE hash = ?",
    [ZS_CASE_LOAD] = "SELECT " CASE_COLS ", c.snapshot, c.compact "
                     "FROM zf_cases c JOIN zf_definitions d ON d.hash = c.hash "
                     "WHERE c.id = ?",
    /* A change locks the row it reads (PostgreSQL), so that writers of one
       case wait for each other instead of failing the revision check. */
    [ZS_CASE_LOCK] = "SELECT " CASE_COLS ", c.snapshot, c.compact "
                     "FROM zf_cases c JOIN zf_definitions d ON d.hash = c.hash "
                     "WHERE c.id = ? {lock_case}",
    [ZS_CASE_INSERT] = "INSERT INTO zf_cases (process, hash, revision, started, "
                       "case_date, active, finished, outcome, next_due, next_term, "
                       "parent, relation, snapshot, compact) "
                       "VALUES (?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
    [ZS_CASE_UPDATE] = "UPDATE zf_cases SET revision = revision + 1, case_date = ?, "
                       "active = ?, finished = ?, outcome = ?, next_due = ?, "
                       "next_term = ?, snapshot = ?, compact = ?, lease_owner = NULL, "
                       "lease_until = NULL WHERE id = ? AND revision = ?",
    [ZS_CASE_RELEASE] = "UPDATE zf_cases SET lease_owner = NULL, lease_until = NULL "
                        "WHERE id = ? AND lease_owner = ?",
    [ZS_CASE_EXISTS] = "SELECT revision FROM zf_cases WHERE id = ?",
    [ZS_JOURNAL_INSERT] = "INSERT INTO zf_journal (case_id, seq, revision, day, event, "
                          "actor, items) VALUES (?, ?, ?, ?, ?, ?, ?)",
    [ZS_DUE_DELETE] = "DELETE FROM zf_due WHERE case_id = ?",
    [ZS_DUE_INSERT] = "INSERT INTO zf_due (case_id, term, ord, process, last_day, party, "
                      "title, basis) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    [ZS_OUTBOX_INSERT] = "INSERT INTO zf_outbox (case_id, revision, idem_key, kind, day, "
                         "addressee, body, process, relation, spawned, payload) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    [ZS_LIST_CASES] = "SELECT " CASE_COLS " FROM zf_cases c "
                      "JOIN zf_definitions d ON d.hash = c.hash "
                      "WHERE c.process = COALESCE(CAST(? AS TEXT), c.process) "
                      "AND c.finished BETWEEN ? AND ? AND c.id > ? "
                      "ORDER BY c.id LIMIT ?",
    [ZS_LIST_JOURNAL] = "SELECT case_id, revision, seq, day, event, actor, items "
                        "FROM zf_journal WHERE case_id = ? ORDER BY seq",
    [ZS_LIST_DUE] = "SELECT case_id, process, term, title, basis, party, last_day "
                    "FROM zf_due WHERE last_day <= ? "
                    "AND (CAST(? AS TEXT) IS NULL OR party = CAST(? AS TEXT)) "
                    "ORDER BY last_day, case_id, ord LIMIT ?",
    /* The lease is taken in the statement that picks the rows: with
       PostgreSQL, rows another claimer holds locked are skipped, and a row
       claimed and committed since this statement's snapshot is checked again
       against the lease condition before it is taken. */
    [ZS_CLAIM_CASES] =
        "UPDATE zf_cases SET lease_owner = ?, lease_until = {now} + ? "
        "WHERE id IN (SELECT id FROM zf_cases WHERE next_due < ? "
        "AND (lease_until IS NULL OR lease_until < {now}) "
        "ORDER BY next_due, id LIMIT ? {skip_locked}) "
        "RETURNING id, revision, process, "
        "(SELECT d.version FROM zf_definitions d WHERE d.hash = zf_cases.hash), hash, "
        "started, case_date, active, finished, outcome, next_due, next_term, parent, "
        "relation",
    [ZS_LIST_OUTBOX] = "SELECT " OUTBOX_COLS " FROM zf_outbox "
                       "WHERE status = COALESCE(CAST(? AS TEXT), status) "
                       "AND case_id = COALESCE(CAST(? AS BIGINT), case_id) "
                       "ORDER BY id LIMIT ?",
    [ZS_CLAIM_OUTBOX] =
        "UPDATE zf_outbox SET status = 'claimed', attempts = attempts + 1, "
        "lease_owner = ?, lease_until = {now} + ? "
        "WHERE id IN (SELECT id FROM zf_outbox WHERE status <> 'done' "
        "AND (status = 'pending' OR lease_until < {now}) "
        "ORDER BY id LIMIT ? {skip_locked}) RETURNING " OUTBOX_COLS,
    [ZS_OUTBOX_ACK] = "UPDATE zf_outbox SET status = 'done', lease_owner = NULL, "
                      "lease_until = NULL WHERE id = ?",
    /* Upgrading to version 2: the party of the due rows written before it; to
       version 3: the definitions and their cases keyed by the canonical hash. */
    [ZS_DEF_ALL] = "SELECT hash, xml FROM zf_definitions ORDER BY seq",
    [ZS_DEF_DELETE] = "DELETE FROM zf_definitions WHERE hash = ?",
    [ZS_CASES_OF_DEF] = "SELECT id FROM zf_cases WHERE hash = ? ORDER BY id",
    [ZS_CASE_REKEY] = "UPDATE zf_cases SET hash = ?, snapshot = ?, compact = ? "
                      "WHERE id = ?",
    [ZS_DUE_SET_PARTY] = "UPDATE zf_due SET party = ? WHERE term = ? AND case_id IN "
                         "(SELECT id FROM zf_cases WHERE hash = ?)",
    [ZS_OUTBOX_RELEASE] = "UPDATE zf_outbox SET status = 'pending', lease_owner = NULL, "
                          "lease_until = NULL, last_error = ? "
                          "WHERE id = ? AND status = 'claimed'",
};

const char *zs_sql_text(zs_sql_id id) {
    return (unsigned)id < ZS_SQL_COUNT ? statements[id] : NULL;
}

char *zs_sql_expand(const zs_driver *drv, const char *text) {
    static const struct {
        const char *token;
        size_t off;
    } tokens[] = {
        {"{id}", offsetof(zs_driver, t_id)},
        {"{blob}", offsetof(zs_driver, t_blob)},
        {"{date}", offsetof(zs_driver, t_date)},
        {"{now}", offsetof(zs_driver, t_now)},
        {"{skip_locked}", offsetof(zs_driver, t_skip_locked)},
        {"{lock_case}", offsetof(zs_driver, t_lock_case)},
    };
    zf_buf b = ZF_BUF_INIT;
    zf_code rc = ZF_OK;
    int nparam = 0;
    for (const char *p = text; *p && rc == ZF_OK;) {
        if (*p == '?' && drv->numbered_params) {
            rc = zf_buf_printf(&b, "$%d", ++nparam);
            p++;
            continue;
        }
        if (*p == '{') {
            size_t k;
            for (k = 0; k < sizeof tokens / sizeof tokens[0]; k++) {
                size_t n = strlen(tokens[k].token);
                if (strncmp(p, tokens[k].token, n) == 0) {
                    const char *rep =
                        *(const char *const *)((const char *)drv + tokens[k].off);
                    rc = zf_buf_puts(&b, rep);
                    p += n;
                    break;
                }
            }
            if (k < sizeof tokens / sizeof tokens[0])
                continue;
        }
        rc = zf_buf_put(&b, p, 1);
        p++;
    }
    if (rc == ZF_OK && !b.ptr)
        rc = zf_buf_puts(&b, "");
    if (rc != ZF_OK) {
        zf_buf_dispose(&b);
        return NULL;
    }
    /* zf_buf memory comes from the same allocator as zs_malloc. */
    return b.ptr;
}

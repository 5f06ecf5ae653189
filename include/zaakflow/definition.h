/**
 * @file zaakflow/definition.h
 * Process definitions: secure loading of the XML language (schemas/process.xsd),
 * schema validation with the schema compiled into the library, semantic
 * checks that collect every finding with file:line:column, and compilation to
 * immutable tables that any number of threads and instances may share.
 */
#ifndef ZAAKFLOW_DEFINITION_H
#define ZAAKFLOW_DEFINITION_H

#include "zaakflow/common.h"
#include "zaakflow/error.h"
#include "zaakflow/buf.h"
#include "zaakflow/value.h"

ZF_BEGIN_DECL

/** A compiled, immutable process definition. */
typedef struct zf_definition zf_definition;

/** The XML namespace of process definitions. */
#define ZF_PROCESS_NS "urn:zaakflow:process:1"

typedef enum zf_severity { ZF_SEVERITY_ERROR = 0, ZF_SEVERITY_WARNING = 1 } zf_severity;

/** One finding of the validator. */
typedef struct zf_diagnostic {
    zf_severity severity;
    zf_code code;   /**< ZF_EPARSE, ZF_ESCHEMA, ZF_ESEMANTIC, ZF_EIO (errors); ZF_OK for
                       warnings */
    char check[32]; /**< short id of the check, e.g. "unknown-target", "unreachable-state"
                     */
    char file[256];
    int line, column; /**< 1-based; column in characters; 0 = unknown */
    char message[256];
} zf_diagnostic;

/** A list of findings, filled by the library. Start with ZF_DIAGNOSTICS_INIT. */
typedef struct zf_diagnostics {
    zf_diagnostic *items;
    size_t count;
    size_t capacity;
    size_t errors;
    size_t warnings;
} zf_diagnostics;

#define ZF_DIAGNOSTICS_INIT                                                              \
    { NULL, 0, 0, 0, 0 }

/** Free the list's memory and reset it. NULL is allowed. */
ZF_EXTERN(void) zf_diagnostics_dispose(zf_diagnostics *diags);

/**
 * Append "FILE:LINE:COL: error|warning: message [CODE or check]" lines to `out`.
 * @return ZF_OK or ZF_ENOMEM.
 */
ZF_EXTERN(zf_code)
zf_diagnostics_format(zf_buf *out, const zf_diagnostics *diags, zf_error *err);

/**
 * Load, validate and compile a process definition from an XML file.
 * Network access, DTD loading and entity expansion stay off; a document with
 * a DOCTYPE is refused; file size, nesting depth and element count are limited.
 * @param[out] out  new definition, owned by the caller; NULL on failure. Free with
 * zf_definition_free().
 * @param path      file to read.
 * @param diags     optional; receives every error and warning found.
 * @param err       optional; on failure receives code, message and file:line:column of
 * the first error.
 * @return ZF_OK, ZF_EIO, ZF_EPARSE, ZF_ESCHEMA, ZF_ESEMANTIC or ZF_ENOMEM.
 */
ZF_EXTERN(zf_code)
zf_definition_load(zf_definition **out, const char *path, zf_diagnostics *diags,
                   zf_error *err);

/** Like zf_definition_load() from memory; `name` stands for the file in diagnostics. */
ZF_EXTERN(zf_code)
zf_definition_parse(zf_definition **out, const char *xml, size_t len, const char *name,
                    zf_diagnostics *diags, zf_error *err);

/** Free a definition. NULL is allowed. Instances of it must be freed first. */
ZF_EXTERN(void) zf_definition_free(zf_definition *def);

/** Options of zf_validate_files_ext(). Start from ZF_VALIDATE_OPTIONS_INIT. */
typedef struct zf_validate_options {
    unsigned int version; /**< ZF_VALIDATE_OPTIONS_VERSION */
    /**
     * Look for a spawned process that is not among the files given beside the
     * file that spawns it: the `.xml` files in the same directory whose root
     * element is a `<process>` with that `id` (only the start of each file is
     * read to learn its id; no network, DTD or entities). Those files are
     * checked against, not reported on. Default 1.
     */
    int beside;
    /** A spawned process that cannot be found is an error; otherwise a warning
     *  (with `beside`). Default 0. */
    int strict;
} zf_validate_options;

#define ZF_VALIDATE_OPTIONS_VERSION 1u
#define ZF_VALIDATE_OPTIONS_INIT                                                         \
    { ZF_VALIDATE_OPTIONS_VERSION, 1, 0 }

/**
 * Validate definition files together, as `zaakflow validate` does: each file
 * on its own (schema, semantic checks), then the checks across files, which
 * run for every file that passed the schema, also when it has other errors:
 * - no two files define the same process `id` and `version` (an error in
 *   each, naming the other; the result does not depend on the order of the
 *   paths). The same bytes given twice (one file named twice, or an identical
 *   copy) are checked once and reported under the first path;
 * - every spawn (a related case, `vervolg` or `deelzaak`) names a process
 *   among the files, or one found beside the spawning file (opts->beside);
 *   when there is none, one finding per process and file, a warning unless
 *   opts->strict (without opts->beside, an error as in zf_validate_files());
 * - it passes only variables the process declares, each of its type: an int
 *   where money is expected, a value of an enumeration with the same id whose
 *   values the spawned process all knows, or string literals naming values
 *   of its enumeration; and every variable the process requires.
 * The findings of each file come together in line order, files in the order
 * given, appended to `out`.
 * @param out    optional; receives every finding.
 * @param paths  `npaths` paths.
 * @param opts   optional (NULL: ZF_VALIDATE_OPTIONS_INIT).
 * @param err    optional; cleared, then on failure the first error with its position.
 * @return ZF_OK when no file has errors (warnings allowed); else the code of
 *         the first file with errors (ZF_EIO, ZF_EPARSE, ZF_ESCHEMA or
 *         ZF_ESEMANTIC); ZF_EINVAL (a NULL path, an unknown opts->version);
 *         ZF_ENOMEM (then `out` is unchanged).
 */
ZF_EXTERN(zf_code)
zf_validate_files_ext(zf_diagnostics *out, const char *const *paths, size_t npaths,
                      const zf_validate_options *opts, zf_error *err);

/**
 * zf_validate_files_ext() with the set given and nothing else: no look beside
 * the files, and a spawn of a process that is not among them is an error.
 * Findings go to `diags`.
 * @return as zf_validate_files_ext().
 */
ZF_EXTERN(zf_code)
zf_validate_files(const char *const *paths, size_t npaths, zf_diagnostics *diags,
                  zf_error *err);

/** @name Introspection. Strings are borrowed from the definition. */
/** @{ */
ZF_EXTERN(const char *) zf_definition_id(const zf_definition *def);
ZF_EXTERN(const char *) zf_definition_version(const zf_definition *def);
ZF_EXTERN(const char *) zf_definition_title(const zf_definition *def);
ZF_EXTERN(const char *) zf_definition_basis(const zf_definition *def);
/**
 * The definition's identity: the SHA-256 of its canonical form
 * (zf_definition_canonical(), docs/versions.md), 64 lower-case hex digits.
 * Comments, white space, attribute order, defaults written out or left
 * implicit, the spelling of expressions and numbers, `title` and
 * `documentation` texts and the validity do not change it; anything the
 * engine runs on (states, transitions, conditions, actions, terms, rates,
 * roles, variables, events) and every legal basis does. Snapshots name it.
 */
ZF_EXTERN(const char *) zf_definition_hash(const zf_definition *def);
/**
 * The first and last day on which a case may start on this definition
 * (`valid-from`, `valid-until` on `<process>`, inclusive); ZF_DATE_NONE
 * when open on that side, and for NULL. A zf_registry picks the version of a
 * process valid on a case's start date by them (docs/versions.md);
 * zf_instance_new() itself does not check them.
 */
ZF_EXTERN(zf_date) zf_definition_valid_from(const zf_definition *def);
ZF_EXTERN(zf_date) zf_definition_valid_until(const zf_definition *def);
ZF_EXTERN(size_t) zf_definition_state_count(const zf_definition *def);
ZF_EXTERN(const char *) zf_definition_state_id(const zf_definition *def, size_t i);
ZF_EXTERN(size_t) zf_definition_event_count(const zf_definition *def);
ZF_EXTERN(const char *) zf_definition_event_id(const zf_definition *def, size_t i);
ZF_EXTERN(size_t) zf_definition_transition_count(const zf_definition *def);
/** Variables in declaration order; the type is ZF_TYPE_VOID when i is out of range. */
ZF_EXTERN(size_t) zf_definition_var_count(const zf_definition *def);
ZF_EXTERN(const char *) zf_definition_var_id(const zf_definition *def, size_t i);
ZF_EXTERN(zf_type) zf_definition_var_type(const zf_definition *def, size_t i);
/** Terms and roles in declaration order. */
ZF_EXTERN(size_t) zf_definition_term_count(const zf_definition *def);
ZF_EXTERN(const char *) zf_definition_term_id(const zf_definition *def, size_t i);
/**
 * Who must act before the last day of term `i`: the term's `party` attribute,
 * one of "bestuursorgaan" (the administrative body), "belanghebbende" (the
 * person concerned: the objector, applicant, complainant), "partijen" (any
 * party to the proceedings), "rechter" (the court) or "toezichthouder" (a
 * supervisor, Awb 5:11); docs/language.md, "Who must act", gives each value
 * with an article. Equal parties are the same pointer.
 * @return the party (borrowed from the library, valid as long as the
 *         definition), or NULL when the term declares none or i is out of range.
 */
ZF_EXTERN(const char *) zf_definition_term_party(const zf_definition *def, size_t i);
ZF_EXTERN(size_t) zf_definition_role_count(const zf_definition *def);
ZF_EXTERN(const char *) zf_definition_role_id(const zf_definition *def, size_t i);
/** @} */

/**
 * @name Resolving names ahead.
 * For a caller that fires the same events many times (a binding, a queue
 * worker): look the ids up once, then fire with zf_instance_fire_resolved(),
 * which skips every name lookup. Indexes count in declaration order and hold
 * as long as the definition lives. A definition has at most 32 roles.
 */
/** @{ */
/** Index of event `id` (as zf_definition_event_id() counts), or -1. */
ZF_EXTERN(int) zf_definition_event_index(const zf_definition *def, const char *id);
/** Parameters of event `event` in declaration order; 0 / NULL when out of range. */
ZF_EXTERN(size_t) zf_definition_param_count(const zf_definition *def, size_t event);
ZF_EXTERN(const char *)
zf_definition_param_id(const zf_definition *def, size_t event, size_t i);
/** Index of parameter `id` of event `event`, or -1. */
ZF_EXTERN(int)
zf_definition_param_index(const zf_definition *def, size_t event, const char *id);
/** Index of role `id` (as zf_definition_role_id() counts, below 32), or -1. */
ZF_EXTERN(int) zf_definition_role_index(const zf_definition *def, const char *id);
/**
 * Read `text` as parameter `i` of event `event` takes it (a date
 * "2026-03-20", a duration "6w", an amount, an enumeration value, ...) into
 * *out. An enumeration value comes out as the definition's own (its string
 * and index), which zf_instance_fire_resolved() takes without a lookup; a
 * string is `text` itself (borrowed).
 * @return ZF_OK; ZF_EINVAL (no such event or parameter, text not of its type).
 */
ZF_EXTERN(zf_code)
zf_definition_param_value(zf_value *out, const zf_definition *def, size_t event, size_t i,
                          const char *text, zf_error *err);
/** @} */

/** @name Events and their parameters.
 * What a caller needs to fire an event correctly: its kind, who may fire it,
 * its parameters with their types, whether they are required and, for an
 * enumeration, its values. Strings are borrowed from the definition. */
/** @{ */
/** The kind of an event. Only ZF_EVENT_EXTERNAL events can be fired by the host. */
typedef enum zf_event_kind {
    ZF_EVENT_EXTERNAL = 0, /**< declared in <events>, fired by the host */
    ZF_EVENT_INTERNAL = 1, /**< declared with internal="true": raised by actions only */
    ZF_EVENT_EXPIRY = 2,   /**< implicit expired.<term>: raised when a term expires */
    ZF_EVENT_DONE = 3      /**< implicit done.state.<id>: a state reached its final */
} zf_event_kind;

/** An event of a definition: plain data, strings borrowed from the definition. */
typedef struct zf_event_info {
    const char *id;
    const char *title; /**< may be NULL */
    const char *basis; /**< legal basis; may be NULL */
    zf_event_kind kind;
    /** Roles allowed to fire it, see zf_definition_event_role(); 0 = anyone. A
     * transition on the event may restrict it further. */
    size_t nroles;
    size_t nparams; /**< see zf_definition_param_info() */
    int line;       /**< where it is declared (an implicit event: its term or state) */
} zf_event_info;

/** A parameter of an event: plain data, strings borrowed from the definition. */
typedef struct zf_param_info {
    const char *id;
    zf_type type;
    int required; /**< 1: zf_instance_fire() refuses the event without it */
    /** ZF_TYPE_ENUM: the enumeration's id and its number of values (see
     * zf_definition_param_enum_value()); else NULL and 0. */
    const char *enumeration;
    size_t nvalues;
} zf_param_info;

/**
 * Event `event` (0 .. zf_definition_event_count() - 1) of a definition.
 * @param[out] out receives the event; left unchanged on failure.
 * @return ZF_OK; ZF_EINVAL (NULL or freed definition, NULL out); ZF_ENOTFOUND
 *         (no such event).
 */
ZF_EXTERN(zf_code)
zf_definition_event_info(zf_event_info *out, const zf_definition *def, size_t event,
                         zf_error *err);

/**
 * Parameter `i` of event `event`, in declaration order.
 * @param[out] out receives the parameter; left unchanged on failure.
 * @return ZF_OK; ZF_EINVAL (NULL or freed definition, NULL out); ZF_ENOTFOUND
 *         (no such event or parameter).
 */
ZF_EXTERN(zf_code)
zf_definition_param_info(zf_param_info *out, const zf_definition *def, size_t event,
                         size_t i, zf_error *err);

/** Id of role `k` (0 .. nroles - 1 of zf_definition_event_info()) allowed to fire event
 * `event`, in declaration order; NULL when out of range. */
ZF_EXTERN(const char *)
zf_definition_event_role(const zf_definition *def, size_t event, size_t k);

/** Value `k` of the enumeration of parameter `i` of event `event`, in declaration
 * order; NULL when out of range or the parameter is not an enumeration. */
ZF_EXTERN(const char *)
zf_definition_param_enum_value(const zf_definition *def, size_t event, size_t i,
                               size_t k);
/** @} */

/**
 * Append the canonical form of the definition to `out`: the text whose
 * SHA-256 is zf_definition_hash(), one declaration or statement a line, in
 * document order, every value spelt one way (docs/versions.md describes it
 * exactly). Diffing the canonical forms of two versions shows what changed
 * in meaning.
 * @return ZF_OK, ZF_EINVAL or ZF_ENOMEM (out keeps what it had).
 */
ZF_EXTERN(zf_code)
zf_definition_canonical(zf_buf *out, const zf_definition *def, zf_error *err);

/**
 * Write a Graphviz (dot) diagram: compound and parallel states as clusters,
 * final states as double circles, guards, roles and terms on the edges.
 * @param[out] out  the text is appended; on failure it holds what it held before.
 * @param def       the definition.
 * @param err       optional; cleared, and filled on failure.
 * @return ZF_OK, ZF_EINVAL (out or def NULL, def freed) or ZF_ENOMEM.
 */
ZF_EXTERN(zf_code)
zf_definition_dot(zf_buf *out, const zf_definition *def, zf_error *err);

/**
 * Write a Markdown summary of a definition for readers who do not read XML:
 * title, id, version, validity (when set) and hash; the purpose (the process's
 * `documentation`, kept with the definition when it was loaded); the legal
 * basis; tables of the states (kind, parent, outcome of finals, basis) with
 * the states' documentation as notes, events (parameters with types and
 * whether required, roles, basis), variables, terms (trigger and length
 * expressions, Atw mode, counting conventions, basis), rate tables (versions
 * and tiers), transitions per state (event, guard, target, roles, basis),
 * actions and links to other processes (spawns: process, relation,
 * parameters). The output depends only on the definition: no file is read,
 * and neither the time nor the path it was loaded from matters. The heading is
 * level 2, preceded by an anchor `process-<id>` that the links use.
 * @param[out] out  the text is appended; on failure it holds what it held before.
 * @param def       the definition.
 * @param err       optional; cleared, and filled on failure.
 * @return ZF_OK, ZF_EINVAL (out or def NULL, def freed) or ZF_ENOMEM.
 */
ZF_EXTERN(zf_code)
zf_definition_explain(zf_buf *out, const zf_definition *def, zf_error *err);

ZF_END_DECL

#endif

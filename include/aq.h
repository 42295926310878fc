/*
 * aq.h — the C interface of aq, an engine for container-registry audit logs.
 *
 * Link with libaqc.so (`swift build --product aqc`). The shape follows sqlite3.h:
 *
 *     aq_database *db;
 *     aq_open(&db);
 *     aq_load(db, "logs/", NULL);
 *     aq_statement *st;
 *     if (aq_prepare(db, "SELECT actor, count(*) FROM events WHERE repository = ? GROUP BY 1", &st) != AQ_OK)
 *         fprintf(stderr, "%s\n", aq_errmsg(db));
 *     aq_bind_text(st, 1, "payments/api");
 *     while (aq_step(st) == AQ_ROW)
 *         printf("%s %lld\n", aq_column_text(st, 0), (long long)aq_column_int64(st, 1));
 *     aq_finalize(st);
 *     aq_close(db);
 *
 * Handles. An aq_database and an aq_statement are opaque handles, never pointers to
 * memory: a handle that was closed or finalized stays invalid for ever (it is never given
 * out again), and passing it, or NULL, is not a crash but the error AQ_MISUSE.
 *
 * Ownership. aq_open gives a database that aq_close frees; aq_prepare gives a statement
 * that aq_finalize frees (also after its database was closed: a statement of a closed
 * database fails with AQ_MISUSE, "the database is closed", until it is finalized).
 * Strings passed in are copied before the call returns. Strings returned (column names,
 * text values, error messages) belong to the handle: a column's text is valid until the next
 * aq_step, aq_reset or aq_finalize of that statement; a name until aq_finalize; an error
 * message until the next call on the same handle.
 *
 * Threads. One database may be used from several threads at once (statements that only read
 * run side by side, statements that write run alone). A statement is used by one thread at a
 * time. aq_interrupt may be called from any thread, at any time. The error of a database
 * handle is that of the last failing call on it; when threads share a database, read
 * errors from statements.
 *
 * Errors. Every function that can fail returns a result code; aq_errmsg / aq_stmt_errmsg
 * give the message, aq_error_line / aq_error_column (and the aq_stmt_ forms) its position in
 * the statement text (1-based; 0 when it has none).
 */
#ifndef AQ_H
#define AQ_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct aq_database aq_database;
typedef struct aq_statement aq_statement;

/* Result codes. */
#define AQ_OK         0   /* success */
#define AQ_ERROR      1   /* the statement failed: see aq_errmsg */
#define AQ_MISUSE    21   /* NULL or closed handle, closed database, call out of order */
#define AQ_RANGE     25   /* parameter or column index out of range */
#define AQ_INTERRUPT  9   /* stopped by aq_interrupt */
#define AQ_LIMIT     18   /* a memory, time or row limit was passed */
#define AQ_ROW      100   /* aq_step: a row is ready */
#define AQ_DONE     101   /* aq_step: no more rows */

/* Column types (aq_column_type). */
#define AQ_TYPE_NULL      0
#define AQ_TYPE_BOOLEAN   1
#define AQ_TYPE_INTEGER   2
#define AQ_TYPE_DOUBLE    3
#define AQ_TYPE_VARCHAR   4
#define AQ_TYPE_DATE      5   /* aq_column_int64: days since 1970-01-01 */
#define AQ_TYPE_TIMESTAMP 6   /* aq_column_int64: nanoseconds since 1970-01-01 UTC */
#define AQ_TYPE_INTERVAL  7   /* read it as text */
#define AQ_TYPE_JSON      8   /* read it as text */
#define AQ_TYPE_LIST      9   /* read it as text: [1, 2, NULL] */
#define AQ_TYPE_OTHER    99   /* read it as text */

/* Databases. */
int aq_open(aq_database **db);                 /* *db is set on AQ_OK, NULL otherwise */
int aq_close(aq_database *db);                 /* NULL: nothing; closed twice: AQ_MISUSE */
void aq_interrupt(aq_database *db);            /* stops the statements running now */
int aq_exec(aq_database *db, const char *sql); /* runs every statement of sql, drops rows */
int aq_load(aq_database *db, const char *path, const char *format /* NULL: detect */);
int aq_load_bytes(aq_database *db, const void *bytes, size_t count, const char *name, const char *format);
/* Limits for every statement; a negative value is no limit. */
int aq_set_limits(aq_database *db, int64_t memory_bytes, double seconds, int64_t result_rows);

const char *aq_errmsg(aq_database *db);        /* "" after a success */
int aq_error_line(aq_database *db);
int aq_error_column(aq_database *db);

/* Statements. Parameters: $1, $2, … and ? (the n-th ? is $n) have index n; each $name has
 * the index aq_bind_parameter_index gives (after the positional ones). */
int aq_prepare(aq_database *db, const char *sql, aq_statement **statement);
int aq_bind_parameter_count(aq_statement *st);
int aq_bind_parameter_index(aq_statement *st, const char *name); /* "$repo" or "repo"; 0: none */
int aq_bind_null(aq_statement *st, int index);
int aq_bind_int64(aq_statement *st, int index, int64_t value);
int aq_bind_double(aq_statement *st, int index, double value);
int aq_bind_bool(aq_statement *st, int index, int value);
int aq_bind_text(aq_statement *st, int index, const char *value); /* NULL binds NULL */
int aq_clear_bindings(aq_statement *st);

int aq_step(aq_statement *st);    /* AQ_ROW, AQ_DONE, or an error code */
int aq_reset(aq_statement *st);   /* back to before the first step; bindings stay */
int aq_finalize(aq_statement *st);
void aq_cancel(aq_statement *st); /* from any thread: the running step fails with AQ_INTERRUPT */

int aq_column_count(aq_statement *st);
const char *aq_column_name(aq_statement *st, int column);  /* 0-based; NULL when out of range */
int aq_column_type(aq_statement *st, int column);
/* Values of the current row (after aq_step returned AQ_ROW). */
int aq_column_is_null(aq_statement *st, int column);
int64_t aq_column_int64(aq_statement *st, int column);   /* INTEGER, DATE, TIMESTAMP; BOOLEAN as 0/1 */
double aq_column_double(aq_statement *st, int column);   /* DOUBLE, INTEGER */
const char *aq_column_text(aq_statement *st, int column); /* any type as text; NULL for NULL */

const char *aq_stmt_errmsg(aq_statement *st);
int aq_stmt_error_line(aq_statement *st);
int aq_stmt_error_column(aq_statement *st);

#ifdef __cplusplus
}
#endif

#endif /* AQ_H */

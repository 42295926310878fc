/* The C API tested from C: load logs, query with parameters, read every type, and check
 * that misuse (NULL and closed handles, wrong parameters) gives error codes, not crashes.
 * Build and run: examples/c/run.sh (CI runs it). Prints "N passed, N failed". */
#include <stdio.h>
#include <string.h>
#include "aq.h"

static int passed, failed;

#define CHECK(cond) do { if (cond) passed++; else { failed++; fprintf(stderr, "%s:%d: failed: %s\n", __FILE__, __LINE__, #cond); } } while (0)

int main(int argc, char **argv) {
    const char *logs = argc > 1 ? argv[1] : "examples/logs";
    aq_database *db = NULL;
    CHECK(aq_open(&db) == AQ_OK && db != NULL);
    CHECK(aq_load(db, logs, NULL) == AQ_OK);

    aq_statement *st = NULL;
    CHECK(aq_prepare(db, "SELECT count(*) AS n, count(DISTINCT actor) FROM events WHERE action = $op", &st) == AQ_OK);
    int op = aq_bind_parameter_index(st, "$op");
    CHECK(op == 1);
    CHECK(aq_bind_text(st, op, "pull") == AQ_OK);
    CHECK(aq_step(st) == AQ_ROW);
    CHECK(strcmp(aq_column_name(st, 0), "n") == 0);
    CHECK(aq_column_type(st, 0) == AQ_TYPE_INTEGER);
    long long pulls = (long long)aq_column_int64(st, 0);
    CHECK(pulls > 0);
    CHECK(aq_step(st) == AQ_DONE);
    /* Re-run with another value: a value with a quote is a value, not SQL. */
    CHECK(aq_reset(st) == AQ_OK);
    CHECK(aq_bind_text(st, op, "x' OR '1'='1") == AQ_OK);
    CHECK(aq_step(st) == AQ_ROW);
    CHECK(aq_column_int64(st, 0) == 0);
    CHECK(aq_finalize(st) == AQ_OK);

    /* Every type. */
    CHECK(aq_prepare(db, "SELECT true, 42, 2.5, 'text', DATE '2024-05-01', TIMESTAMP '2024-05-01 10:00:00', "
                         "INTERVAL 90 MINUTE, NULL::INTEGER", &st) == AQ_OK);
    CHECK(aq_step(st) == AQ_ROW);
    CHECK(aq_column_type(st, 0) == AQ_TYPE_BOOLEAN && aq_column_int64(st, 0) == 1);
    CHECK(aq_column_int64(st, 1) == 42);
    CHECK(aq_column_double(st, 2) == 2.5);
    CHECK(strcmp(aq_column_text(st, 3), "text") == 0);
    CHECK(aq_column_type(st, 4) == AQ_TYPE_DATE && aq_column_int64(st, 4) == 19844);
    CHECK(aq_column_type(st, 5) == AQ_TYPE_TIMESTAMP && aq_column_int64(st, 5) == 1714557600000000000LL);
    CHECK(strcmp(aq_column_text(st, 5), "2024-05-01 10:00:00") == 0);
    CHECK(aq_column_type(st, 6) == AQ_TYPE_INTERVAL && aq_column_text(st, 6) != NULL);
    CHECK(aq_column_is_null(st, 7) == 1 && aq_column_text(st, 7) == NULL);
    CHECK(aq_finalize(st) == AQ_OK);

    /* Errors with positions. */
    CHECK(aq_prepare(db, "SELECT 1 +", &st) == AQ_ERROR && st == NULL);
    CHECK(aq_error_line(db) == 1 && aq_error_column(db) == 11);
    CHECK(strlen(aq_errmsg(db)) > 0);
    CHECK(aq_prepare(db, "SELECT $1 + 1", &st) == AQ_OK);
    CHECK(aq_bind_int64(st, 3, 1) == AQ_RANGE);
    CHECK(aq_step(st) == AQ_ERROR);
    CHECK(strcmp(aq_stmt_errmsg(st), "no value given for parameter $1") == 0);

    /* Misuse: NULL handles, a closed database, finalized statements. */
    CHECK(aq_step(NULL) == AQ_MISUSE);
    CHECK(aq_exec(NULL, "SELECT 1") == AQ_MISUSE);
    CHECK(aq_errmsg(NULL) != NULL);
    CHECK(aq_close(db) == AQ_OK);
    CHECK(aq_reset(st) == AQ_OK);
    CHECK(aq_bind_int64(st, 1, 1) == AQ_OK);
    CHECK(aq_step(st) == AQ_MISUSE);
    CHECK(aq_finalize(st) == AQ_OK);
    CHECK(aq_step(st) == AQ_MISUSE);
    CHECK(aq_finalize(st) == AQ_MISUSE);
    CHECK(aq_close(db) == AQ_MISUSE);
    CHECK(aq_exec(db, "SELECT 1") == AQ_MISUSE);
    aq_interrupt(db);

    printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}

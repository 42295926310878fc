/* Streams the rows of bench/embedding_vs_duckdb.py's table through aq's C API: every value of
 * `SELECT i, actor, x FROM s` read with aq_column_int64 / _text / _double. Prints JSON lines
 * like aq-embedbench: {"name", "median_s", "min_s", "rows"}. Usage: embedding_stream ROWS RUNS */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "aq.h"

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int compare(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv) {
    long rows = argc > 1 ? atol(argv[1]) : 1000000;
    int runs = argc > 2 ? atoi(argv[2]) : 5;
    if (runs < 1 || runs > 100) runs = 5;
    aq_database *db;
    aq_open(&db);
    char sql[256];
    snprintf(sql, sizeof sql, "CREATE TABLE s AS SELECT range AS i, 'actor' || (range %% 1000) AS actor, "
                              "range * 0.5 AS x FROM range(%ld)", rows);
    if (aq_exec(db, sql) != AQ_OK) {
        fprintf(stderr, "%s\n", aq_errmsg(db));
        return 1;
    }
    aq_statement *st;
    aq_prepare(db, "SELECT i, actor, x FROM s", &st);
    double times[100];
    long n = 0;
    for (int r = 0; r < runs; r++) {
        double start = now();
        long long sum = 0;
        size_t bytes = 0;
        double total = 0;
        n = 0;
        aq_reset(st);
        while (aq_step(st) == AQ_ROW) {
            sum += aq_column_int64(st, 0);
            bytes += strlen(aq_column_text(st, 1));
            total += aq_column_double(st, 2);
            n++;
        }
        times[r] = now() - start;
        if (sum < 0 || total < 0) printf("%zu\n", bytes);
    }
    qsort(times, runs, sizeof times[0], compare);
    printf("{\"name\": \"c_step\", \"median_s\": %g, \"min_s\": %g, \"rows\": %ld}\n", times[runs / 2], times[0], n);
    aq_finalize(st);
    aq_close(db);
    return 0;
}

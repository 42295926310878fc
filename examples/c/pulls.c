/* pulls: the actors with the most events of one action, through aq's C API.
 *
 *     cc -I include examples/c/pulls.c -L "$(swift build --show-bin-path)" -laqc -o pulls
 *     ./pulls examples/logs pull
 */
#include <stdio.h>
#include "aq.h"

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: pulls LOGS [ACTION]\n");
        return 2;
    }
    aq_database *db;
    if (aq_open(&db) != AQ_OK) return 1;
    if (aq_load(db, argv[1], NULL) != AQ_OK) {
        fprintf(stderr, "pulls: %s\n", aq_errmsg(db));
        aq_close(db);
        return 1;
    }
    aq_statement *st;
    const char *sql = "SELECT actor, count(*) AS events FROM events WHERE action = ? "
                      "GROUP BY actor ORDER BY events DESC, actor LIMIT 5";
    if (aq_prepare(db, sql, &st) != AQ_OK) {
        fprintf(stderr, "pulls: line %d, column %d: %s\n", aq_error_line(db), aq_error_column(db), aq_errmsg(db));
        aq_close(db);
        return 1;
    }
    aq_bind_text(st, 1, argc > 2 ? argv[2] : "pull");
    int rc;
    while ((rc = aq_step(st)) == AQ_ROW) {
        const char *actor = aq_column_text(st, 0);
        printf("%s\t%lld\n", actor ? actor : "(unknown)", (long long)aq_column_int64(st, 1));
    }
    if (rc != AQ_DONE) fprintf(stderr, "pulls: %s\n", aq_stmt_errmsg(st));
    aq_finalize(st);
    aq_close(db);
    return rc == AQ_DONE ? 0 : 1;
}

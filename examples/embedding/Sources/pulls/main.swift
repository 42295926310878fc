// pulls: who pulled images, from where — a small tool built on aq's Swift API.
//
//     swift run pulls LOGS [ACTION]
//
// Loads the audit logs in LOGS, then prints the five actors with the most events of ACTION
// (default: pull) and the repositories pulled from the public internet. Exits 1 when the logs
// cannot be read or the query fails.

import AQEngine
#if canImport(Glibc)
import Glibc
#endif

struct Top: Decodable {
    var actor: String?
    var events: Int
}

func run() throws {
    let arguments = CommandLine.arguments
    guard arguments.count >= 2 else {
        print("usage: pulls LOGS [ACTION]")
        return
    }
    let db = Database(limits: Limits(time: 30, resultRows: 10_000))
    let report = try db.load(path: arguments[1])
    print(Database.describe(report, listingFiles: false))

    let top = try db.prepare("""
        SELECT actor, count(*) AS events FROM events
        WHERE action = $1 GROUP BY actor ORDER BY events DESC, actor LIMIT 5
        """)
    for row in try top.query(.varchar(arguments.count > 2 ? arguments[2] : "pull")).all(as: Top.self) {
        print("\(row.actor ?? "(unknown)")\t\(row.events)")
    }

    let internet = try db.prepare("SELECT DISTINCT repository FROM events WHERE action = 'pull' AND network = $network ORDER BY 1")
    let rows = try internet.query(["network": "internet"])
    while let row = try rows.next() {
        print("pulled from the internet: \(try row["repository"].text ?? "")")
    }
}

do {
    try run()
} catch {
    print("pulls: \(error)")
    exit(1)
}

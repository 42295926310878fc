// The longest record a log reader reads. A JSON object or a CSV row longer than this is
// skipped with its line, unparsed, so one huge line (a file without a newline, a broken
// quote) costs a scan of at most this many bytes, not a parse of the whole file.

enum RecordSize {
    /// 16 MB, DuckDB's `maximum_object_size` for JSON. CloudTrail's largest records (a
    /// BatchGetImage naming thousands of images) are a few hundred KB.
    static let maximum = 16 << 20

    /// Why such a record is skipped.
    static let tooLong = "longer than the maximum record size of 16 MB"
}

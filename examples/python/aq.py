"""aq from Python through its C API (libaqc.so, include/aq.h) with ctypes.

    import aq
    db = aq.Database()                      # aq.Database(library="/path/to/libaqc.so")
    db.load("examples/logs")
    for actor, n in db.query("SELECT actor, count(*) FROM events WHERE action = ? GROUP BY 1", "pull"):
        print(actor, n)

Rows come back as tuples of Python values: int, float, bool, str, datetime.date,
datetime.datetime (UTC), None for NULL; INTERVAL and JSON as their text. Errors raise
aq.Error with the message and its line and column in the statement.
"""
import ctypes
import datetime
import os
import subprocess

OK, ERROR, MISUSE, RANGE, INTERRUPT, LIMIT, ROW, DONE = 0, 1, 21, 25, 9, 18, 100, 101
NULL, BOOLEAN, INTEGER, DOUBLE, VARCHAR, DATE, TIMESTAMP, INTERVAL, JSON = range(9)

_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)
_EPOCH_DATE = datetime.date(1970, 1, 1)


class Error(Exception):
    """An aq error: the message, the result code, and the 1-based line and column (0: none)."""

    def __init__(self, message, code, line=0, column=0):
        super().__init__(message)
        self.code, self.line, self.column = code, line, column


def find_library():
    """libaqc.so: $AQ_LIBRARY, else the package's build folder (built with `swift build --product aqc`)."""
    if os.environ.get("AQ_LIBRARY"):
        return os.environ["AQ_LIBRARY"]
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    bin_path = subprocess.run(["swift", "build", "--show-bin-path"], cwd=root, capture_output=True,
                              text=True, check=True).stdout.strip()
    return os.path.join(bin_path, "libaqc.so")


def _load(path):
    lib = ctypes.CDLL(path)
    p, i, i64, d, s = ctypes.c_void_p, ctypes.c_int, ctypes.c_int64, ctypes.c_double, ctypes.c_char_p
    signatures = {
        "aq_open": (i, [ctypes.POINTER(p)]), "aq_close": (i, [p]), "aq_interrupt": (None, [p]),
        "aq_exec": (i, [p, s]), "aq_load": (i, [p, s, s]),
        "aq_load_bytes": (i, [p, ctypes.c_char_p, ctypes.c_size_t, s, s]),
        "aq_set_limits": (i, [p, i64, d, i64]),
        "aq_errmsg": (s, [p]), "aq_error_line": (i, [p]), "aq_error_column": (i, [p]),
        "aq_prepare": (i, [p, s, ctypes.POINTER(p)]), "aq_bind_parameter_count": (i, [p]),
        "aq_bind_parameter_index": (i, [p, s]), "aq_bind_null": (i, [p, i]), "aq_bind_int64": (i, [p, i, i64]),
        "aq_bind_double": (i, [p, i, d]), "aq_bind_bool": (i, [p, i, i]), "aq_bind_text": (i, [p, i, s]),
        "aq_step": (i, [p]), "aq_reset": (i, [p]), "aq_finalize": (i, [p]), "aq_cancel": (None, [p]),
        "aq_column_count": (i, [p]), "aq_column_name": (s, [p, i]), "aq_column_type": (i, [p, i]),
        "aq_column_is_null": (i, [p, i]), "aq_column_int64": (i64, [p, i]), "aq_column_double": (d, [p, i]),
        "aq_column_text": (s, [p, i]), "aq_stmt_errmsg": (s, [p]), "aq_stmt_error_line": (i, [p]),
        "aq_stmt_error_column": (i, [p]),
    }
    for name, (result, arguments) in signatures.items():
        function = getattr(lib, name)
        function.restype, function.argtypes = result, arguments
    return lib


class Database:
    """An aq database in memory. Close it with close() or a `with` block."""

    def __init__(self, library=None):
        self._lib = _load(library or find_library())
        handle = ctypes.c_void_p()
        self._check(self._lib.aq_open(ctypes.byref(handle)))
        self._db = handle

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self):
        if self._db is not None:
            self._lib.aq_close(self._db)
            self._db = None

    def _check(self, code):
        if code != OK:
            db = getattr(self, "_db", None)
            raise Error(self._lib.aq_errmsg(db).decode(), code, self._lib.aq_error_line(db),
                        self._lib.aq_error_column(db))

    def load(self, path, format=None):
        """Loads audit logs (a file or a folder) into `events`."""
        self._check(self._lib.aq_load(self._db, path.encode(), format.encode() if format else None))

    def load_bytes(self, data, name="memory", format=None):
        """Loads audit-log records held in memory (bytes of one file, any format, gzip too)."""
        self._check(self._lib.aq_load_bytes(self._db, bytes(data), len(data), name.encode(),
                                            format.encode() if format else None))

    def execute(self, sql):
        """Runs every statement of `sql`, dropping rows."""
        self._check(self._lib.aq_exec(self._db, sql.encode()))

    def set_limits(self, memory_bytes=-1, seconds=-1.0, result_rows=-1):
        self._check(self._lib.aq_set_limits(self._db, memory_bytes, seconds, result_rows))

    def interrupt(self):
        """Stops the statements running now (callable from another thread)."""
        self._lib.aq_interrupt(self._db)

    def query(self, sql, *parameters, **named):
        """The rows of `sql` as a list of tuples; `?`/`$1` take `parameters`, `$name` takes `named`."""
        return list(self.iterate(sql, *parameters, **named))

    def columns(self, sql, *parameters, **named):
        """The column names of `sql`'s result."""
        with _Statement(self, sql) as st:
            st.bind(parameters, named)
            st.step()
            return [self._lib.aq_column_name(st.handle, c).decode() for c in range(self._lib.aq_column_count(st.handle))]

    def iterate(self, sql, *parameters, **named):
        """The rows of `sql`, one tuple at a time."""
        with _Statement(self, sql) as st:
            st.bind(parameters, named)
            lib, h = self._lib, st.handle
            readers = None
            while st.step():
                if readers is None:
                    readers = [_reader(lib, lib.aq_column_type(h, c)) for c in range(lib.aq_column_count(h))]
                yield tuple(None if lib.aq_column_is_null(h, c) else read(h, c) for c, read in enumerate(readers))


def _reader(lib, kind):
    if kind == INTEGER:
        return lib.aq_column_int64
    if kind == DOUBLE:
        return lib.aq_column_double
    if kind == BOOLEAN:
        return lambda h, c: lib.aq_column_int64(h, c) != 0
    if kind == TIMESTAMP:
        return lambda h, c: _EPOCH + datetime.timedelta(microseconds=lib.aq_column_int64(h, c) // 1000)
    if kind == DATE:
        return lambda h, c: _EPOCH_DATE + datetime.timedelta(days=lib.aq_column_int64(h, c))
    return lambda h, c: lib.aq_column_text(h, c).decode()


class _Statement:
    def __init__(self, db, sql):
        self.db, self.lib = db, db._lib
        handle = ctypes.c_void_p()
        db._check(self.lib.aq_prepare(db._db, sql.encode(), ctypes.byref(handle)))
        self.handle = handle

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.lib.aq_finalize(self.handle)

    def _check(self, code):
        if code not in (OK, ROW, DONE):
            lib, h = self.lib, self.handle
            raise Error(lib.aq_stmt_errmsg(h).decode(), code, lib.aq_stmt_error_line(h), lib.aq_stmt_error_column(h))
        return code

    def bind(self, parameters, named):
        lib, h = self.lib, self.handle
        slots = [(i + 1, v) for i, v in enumerate(parameters)]
        for name, value in named.items():
            index = lib.aq_bind_parameter_index(h, name.encode())
            if index == 0:
                raise Error(f"the statement has no parameter ${name}", RANGE)
            slots.append((index, value))
        for index, value in slots:
            if value is None:
                code = lib.aq_bind_null(h, index)
            elif isinstance(value, bool):
                code = lib.aq_bind_bool(h, index, int(value))
            elif isinstance(value, int):
                code = lib.aq_bind_int64(h, index, value)
            elif isinstance(value, float):
                code = lib.aq_bind_double(h, index, value)
            elif isinstance(value, str):
                code = lib.aq_bind_text(h, index, value.encode())
            else:
                raise Error(f"cannot bind a {type(value).__name__} (give int, float, bool, str or None)", MISUSE)
            self._check(code)

    def step(self):
        return self._check(self.lib.aq_step(self.handle)) == ROW

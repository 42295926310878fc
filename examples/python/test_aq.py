"""Tests of the ctypes module over the C API (run by .ci/run: python3 -m unittest)."""
import datetime
import os
import unittest

import aq

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


class AQTests(unittest.TestCase):
    def setUp(self):
        self.db = aq.Database()

    def tearDown(self):
        self.db.close()

    def test_load_and_query_with_parameters(self):
        self.db.load(os.path.join(ROOT, "examples", "logs"))
        rows = self.db.query("SELECT count(*) FROM events WHERE action = ?", "pull")
        self.assertEqual(rows, [(924,)])
        named = self.db.query("SELECT count(*) FROM events WHERE action = $what", what="pull")
        self.assertEqual(named, rows)
        # A value with quotes is a value.
        self.assertEqual(self.db.query("SELECT count(*) FROM events WHERE action = ?", "x' OR '1'='1"), [(0,)])

    def test_every_type_as_python_values(self):
        row = self.db.query("SELECT true, 42, 2.5, 'it''s', DATE '2024-05-01', TIMESTAMP '2024-05-01 10:00:00', "
                            "NULL::VARCHAR, ?::INTEGER, ?, ?", None, 7, "x")[0]
        self.assertEqual(row, (True, 42, 2.5, "it's", datetime.date(2024, 5, 1),
                               datetime.datetime(2024, 5, 1, 10, 0, tzinfo=datetime.timezone.utc), None, None, 7, "x"))

    def test_load_bytes(self):
        with open(os.path.join(ROOT, "examples", "logs", "ibm", "activity-tracker_us-south_2024-03-04.jsonl"), "rb") as f:
            data = f.read()
        self.db.load_bytes(data, name="upload.jsonl")
        self.assertEqual(self.db.query("SELECT count(*), min(provider) FROM events"), [(19, "ibm")])

    def test_errors_have_positions(self):
        with self.assertRaises(aq.Error) as caught:
            self.db.query("SELECT 1,\n  nosuch")
        self.assertIn("nosuch", str(caught.exception))
        self.assertEqual((caught.exception.line, caught.exception.column), (2, 3))
        with self.assertRaises(aq.Error) as caught:
            self.db.query("SELECT ? + 1")
        self.assertEqual(str(caught.exception), "no value given for parameter $1")

    def test_limits(self):
        self.db.set_limits(result_rows=5)
        with self.assertRaises(aq.Error) as caught:
            self.db.query("SELECT * FROM range(10)")
        self.assertEqual(caught.exception.code, aq.LIMIT)
        self.assertEqual(self.db.query("SELECT * FROM range(3)"), [(0,), (1,), (2,)])

    def test_closed_handle_is_an_error(self):
        handle = self.db._db
        self.db.close()
        self.db._db = handle  # the handle of a closed database, used again
        with self.assertRaises(aq.Error) as caught:
            self.db.execute("SELECT 1")
        self.assertEqual(caught.exception.code, aq.MISUSE)
        self.db._db = None


if __name__ == "__main__":
    unittest.main()

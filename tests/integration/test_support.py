"""The test helpers' own guard: a sanitizer report in a child's stderr fails the
test, ordinary error output does not (make test-asan, make test-tsan)."""

import unittest

from support import check_sanitizers

ASAN = """==4242==ERROR: AddressSanitizer: heap-use-after-free on address 0x602000000010
READ of size 8 at 0x602000000010 thread T1
"""
LSAN = """
=================================================================
==4242==ERROR: LeakSanitizer: detected memory leaks

Direct leak of 64 byte(s) in 1 object(s) allocated from:
"""
TSAN = """==================
WARNING: ThreadSanitizer: data race (pid=4242)
  Write of size 8 at 0x7b0400000000 by thread T2:
"""
UBSAN = "../engine/metrics/metric.hpp:18:8: runtime error: load of value 115, which is not a valid value for type 'bool'\n"


class SanitizerGuardTest(unittest.TestCase):
    def test_every_report_kind_fails(self):
        for report in (ASAN, LSAN, TSAN, UBSAN):
            with self.subTest(report=report.strip().splitlines()[0]):
                with self.assertRaises(AssertionError) as raised:
                    check_sanitizers("some output\n" + report)
                self.assertIn(report.strip().splitlines()[-1], str(raised.exception))
        with self.assertRaises(AssertionError):
            check_sanitizers(TSAN.encode(), "hotel-mock")

    def test_ordinary_errors_pass(self):
        for stderr in ("", None, b"",
                       "script.lua:3: runtime error: attempt to call a nil value\n",
                       "ERROR: no such file\n", "  abort_on_fail: http_req_failed missed rate<0.01\n"):
            check_sanitizers(stderr)


if __name__ == "__main__":
    unittest.main()

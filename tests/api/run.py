#!/usr/bin/env python3
"""Run the API test files (tests/api/test_*.py), each against its own zwnet server.

Prints one line per test and, last, "api-summary PASSED FAILED SKIPPED" for tests/run.sh.
"""
import argparse
import importlib.util
import os
import sys
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))


class Result(unittest.TextTestResult):
    def startTest(self, test):
        self._t0 = time.monotonic()
        super().startTest(test)

    def _line(self, word, test):
        ms = int((time.monotonic() - getattr(self, "_t0", time.monotonic())) * 1000)
        print("%-4s %s (%d ms)" % (word, test.id().replace("__main__.", ""), ms), flush=True)

    def addSuccess(self, test):
        super().addSuccess(test)
        self._line("ok", test)

    def addFailure(self, test, err):
        super().addFailure(test, err)
        self._line("FAIL", test)
        print(self._exc_info_to_string(err, test), flush=True)

    def addError(self, test, err):
        super().addError(test, err)
        self._line("FAIL", test)
        print(self._exc_info_to_string(err, test), flush=True)

    def addSkip(self, test, reason):
        # Under CI=true the machine was set up by .ci/run with every package and privilege a
        # test needs: a skip there means a test did not run, and CI must not pass by skipping.
        if os.environ.get("CI") == "true":
            self.addFailure(test, (AssertionError, AssertionError("CI=true: skipped: " + reason), None))
            return
        super().addSkip(test, reason)
        self._line("skip", test)


def main():
    # Debian's python3 has the python3-* modules scripts/deps.sh installs (hypothesis,
    # jsonschema); the python3 on PATH may be another one without them.
    deb = "/usr/bin/python3"
    if os.path.exists(deb) and os.path.realpath(sys.executable) != os.path.realpath(deb) \
            and not os.environ.get("ZWNET_API_REEXEC"):
        os.environ["ZWNET_API_REEXEC"] = "1"
        os.execv(deb, [deb, os.path.abspath(__file__)] + sys.argv[1:])
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--out", default="tests/out")
    ap.add_argument("files", nargs="*")
    a = ap.parse_args()
    os.environ["ZWNET_BIN"] = os.path.abspath(a.bin)
    os.environ["ZWNET_TEST_OUT"] = os.path.abspath(a.out)
    sys.path.insert(0, HERE)
    files = a.files or sorted(f for f in os.listdir(HERE) if f.startswith("test_") and f.endswith(".py"))
    suite = unittest.TestSuite()
    loader = unittest.TestLoader()
    for f in files:
        path = os.path.join(HERE, os.path.basename(f))
        name = os.path.splitext(os.path.basename(f))[0]
        spec = importlib.util.spec_from_file_location(name, path)
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        suite.addTests(loader.loadTestsFromModule(mod))
    runner = unittest.TextTestRunner(stream=open(os.devnull, "w"), resultclass=Result, verbosity=0)
    res = runner.run(suite)
    failed = len(res.failures) + len(res.errors)
    skipped = len(res.skipped)
    print("api-summary %d %d %d" % (res.testsRun - failed - skipped, failed, skipped))
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())

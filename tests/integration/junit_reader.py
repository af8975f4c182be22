"""Reads a JUnit XML file with junitparser (Debian's python3-junitparser, the
reader CI test-report tools build on) and prints what it understood as JSON:
the suites with their declared and counted totals, and every test case with
its results. Exits 1, naming the problem, on a file junitparser rejects or
whose declared totals disagree with its test cases.

Run by Debian's own interpreter (/usr/bin/python3), which sees the package
whatever interpreter runs the tests: `junit_reader.py FILE`."""

import json
import sys

from junitparser import Error, Failure, JUnitXml, Skipped, TestSuite


def read(path):
    xml = JUnitXml.fromfile(path)
    suites = [xml] if isinstance(xml, TestSuite) else list(xml)
    report = {"root": xml._elem.tag, "time": xml.time, "tests": xml.tests, "failures": xml.failures,
              "errors": xml.errors, "suites": []}
    problems = []
    for suite in suites:
        if not suite.name:
            problems.append("a testsuite has no name")
        declared = {"tests": suite.tests, "failures": suite.failures, "errors": suite.errors,
                    "skipped": suite.skipped}
        cases = []
        counted = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
        for case in suite:
            if not case.name:
                problems.append(f"suite {suite.name}: a testcase has no name")
            results = []
            for result in case.result:
                kind = {Failure: "failure", Error: "error", Skipped: "skipped"}[type(result)]
                counted[{"failure": "failures", "error": "errors", "skipped": "skipped"}[kind]] += 1
                results.append({"kind": kind, "type": result.type, "message": result.message,
                                "text": result.text})
            counted["tests"] += 1
            cases.append({"name": case.name, "classname": case.classname, "time": case.time,
                          "results": results})
        for key, value in declared.items():
            if value is not None and value != counted[key]:
                problems.append(f"suite {suite.name}: {key}={value} but {counted[key]} counted")
        report["suites"].append({"name": suite.name, "time": suite.time, **declared,
                                 "cases": cases})
    totals = {key: sum(s[key] or 0 for s in report["suites"]) for key in ("tests", "failures")}
    for key, value in totals.items():
        if report[key] is not None and report[key] != value and report["root"] == "testsuites":
            problems.append(f"testsuites: {key}={report[key]} but the suites hold {value}")
    return report, problems


def main():
    try:
        report, problems = read(sys.argv[1])
    except Exception as error:  # junitparser raises parse, format and value errors alike
        print(f"junitparser rejects {sys.argv[1]}: {type(error).__name__}: {error}", file=sys.stderr)
        return 1
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 1
    json.dump(report, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Executors own their config: no executor name appears in engine/ or bindings/
outside engine/exec/executors/, so adding an executor is one file there and one
registry line (docs/architecture.md, How to add an executor). The names are the
binary's own: `lueng inspect` lists them when a scenario names one that does not
exist."""

import os
import re
import tempfile
import unittest

from support import SOURCE_DIR, lueng

EXECUTORS = os.path.join("engine", "exec", "executors")
SCANNED = ("engine", "bindings")


def known_executors():
    with tempfile.TemporaryDirectory(prefix="lueng-names-") as workdir:
        path = os.path.join(workdir, "script.lua")
        with open(path, "w") as f:
            f.write('options = { scenarios = { s = { executor = "?" } } }\nfunction default() end\n')
        completed = lueng("inspect", path)
    match = re.search(r"unknown executor '\?' \(known: ([^)]*)\)", completed.stderr)
    assert match, completed.stderr
    return match.group(1).split(", ")


def mentions(names, folder):
    """(path from the source root, line number, name) of each name in the files under folder."""
    pattern = re.compile("|".join(re.escape(name) for name in names))
    found = []
    for root, _, files in os.walk(os.path.join(SOURCE_DIR, folder)):
        for name in sorted(files):
            path = os.path.join(root, name)
            with open(path, encoding="utf-8", errors="replace") as f:
                for number, line in enumerate(f, 1):
                    for match in pattern.finditer(line):
                        found.append((os.path.relpath(path, SOURCE_DIR), number, match.group()))
    return found


class ExecutorNamesTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.names = known_executors()

    def test_the_binary_lists_its_executors(self):
        self.assertGreaterEqual(len(self.names), 6, self.names)
        for name in self.names:
            self.assertRegex(name, r"^[a-z]+(-[a-z]+)+$")

    def test_every_name_is_found_in_the_executor_files(self):
        # The scan below finds what it looks for: each name is where it is defined.
        found = {name for _, _, name in mentions(self.names, EXECUTORS)}
        self.assertEqual(found, set(self.names))

    def test_no_executor_name_outside_the_executor_files(self):
        outside = [f"{path}:{line}: {name}"
                   for folder in SCANNED for path, line, name in mentions(self.names, folder)
                   if not path.startswith(EXECUTORS + os.sep)]
        self.assertEqual(outside, [], "executor names outside " + EXECUTORS +
                         " (ask the executor's config instead):\n" + "\n".join(outside))


if __name__ == "__main__":
    unittest.main()

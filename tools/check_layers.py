#!/usr/bin/env python3
"""Checks that every #include of lueng's own headers follows the layer graph of
docs/architecture.md: a folder includes only itself and the folders it may use.

    tools/check_layers.py [SOURCE_DIR]

Exits 1 naming each include against the graph. KNOWN lists the includes that
are against it today and are being removed; one that is gone must leave the
list too (the check says so), so the list only shrinks."""

import pathlib
import re
import sys

# What each folder may include besides itself; a folder may also use whatever
# the folders it uses may use.
USES = {
    "engine/common": [],
    "engine/metrics": ["engine/common"],
    "engine/http": ["engine/common"],
    "engine/thresholds": ["engine/metrics"],
    "engine/result": ["engine/thresholds"],
    "engine/analysis": ["engine/result"],
    "engine/report": ["engine/analysis"],
    # Outputs are finished with the result model (Output::finish), so the
    # streaming ones and the adapter for rendered reports see it; never a report.
    # Prometheus remote write pushes over lueng's own HTTP client.
    "engine/output": ["engine/result", "engine/http"],
    "engine/exec": ["engine/output", "engine/result", "engine/http"],
    "bindings": ["engine/exec"],
    # The live dashboard's server renders the run so far as the reports' numbers.
    "engine/dashboard": ["engine/analysis"],
    "engine/cli": ["bindings", "engine/report", "engine/dashboard"],
    "tools/hotel-mock": ["engine/common"],
}

# Includes against the graph today, each to be removed: (file, included folder).
KNOWN = set()

INCLUDE = re.compile(r'^\s*#\s*include\s+"((?:engine/[a-z_]+|bindings))/', re.M)


def allowed(folder):
    """The folders `folder` may include: itself and everything below it."""
    seen, todo = {folder}, list(USES[folder])
    while todo:
        used = todo.pop()
        if used not in seen:
            seen.add(used)
            todo.extend(USES[used])
    return seen


def folder_of(path):
    for folder in USES:
        if path == folder or path.startswith(folder + "/"):
            return folder
    return None


def main():
    root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else ".").resolve()
    problems, found_known = [], set()
    # Only the layers' folders: tests and build trees include what they need.
    paths = sorted({p for folder in USES for p in (root / folder).glob("**/*.[ch]pp")})
    for path in paths:
        relative = path.relative_to(root).as_posix()
        folder = folder_of(relative)
        may = allowed(folder)
        for included in set(INCLUDE.findall(path.read_text(errors="replace"))):
            if included in may:
                continue
            if (relative, included) in KNOWN:
                found_known.add((relative, included))
                continue
            problems.append(f"{relative} includes {included}/, which {folder}/ may not use "
                            f"(docs/architecture.md, Layers)")
    for relative, included in sorted(KNOWN - found_known):
        problems.append(f"{relative} no longer includes {included}/: remove it from KNOWN in "
                        f"tools/check_layers.py")
    for problem in problems:
        print(problem)
    if not problems:
        print(f"layers: every include follows the graph ({len(KNOWN)} known exceptions left)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

"""Every example of README.md and docs/*.md runs as written against the hotel mock,
so a doc change that breaks one fails here.

What counts as an example, per Markdown file, in the order of the file:
- a ```lua block that is a whole script (it requires its modules and defines a
  function) runs with `lueng run -e BASE_URL=<mock>`; a block whose first line is
  `-- NAME.lua` is also saved as NAME for the commands after it;
- a ```lua block that only sets `options` (no function, no request) is checked by
  `lueng inspect` with empty exec functions added (it is a fragment of a script);
  options naming files of the reader's own (certificates) only compile;
- any other ```lua block (a fragment using names of the text around it) must
  compile, as statements or as an expression;
- a command (a code-block line starting with `lueng ` or `build/lueng `, `\\`
  continuations joined) runs in a shell in the file's own folder, where earlier
  commands left their files, with the mock in place of http://127.0.0.1:8000. A
  command naming a placeholder (`...`, an upper-case FILE.json, `script.lua`,
  `[--flag]` synopses) or a remote target (staging.example.com) is a template, not run.
Durations are capped by LUENG_MAX_DURATION, so a `-d 10m` example runs a second.
A run or a merge must end with an SLO verdict (exit 0, 1 or 2), any other command with 0 or 1
(compare's regression); no example may call an endpoint the mock does not have.
make commands are not examples here: test_perf_targets.py covers the perf-* ones."""

import concurrent.futures
import glob
import os
import re
import shlex
import subprocess
import tempfile
import time
import unittest
import urllib.request

from hotel_support import start_mock
from support import LUENG, SOURCE_DIR, check_sanitizers

CAP = "1s"  # LUENG_MAX_DURATION of every example
BUDGET_SECONDS = 60  # all of them together
DOCS = ["README.md"] + sorted(os.path.relpath(p, SOURCE_DIR)
                               for p in glob.glob(os.path.join(SOURCE_DIR, "docs", "*.md")))

FENCE = re.compile(r"^```(\w*)[^\n]*\n(.*?)^```", re.S | re.M)
TEMPLATE = re.compile(r"\.\.\.|staging\.example\.com|\[-|\b[A-Z]+\.(json|lua)\b|<[a-z]|\bscript\.lua\b")
OWN_FILES = re.compile(r"\"[^\"]+\.(pem|crt|key)\"")
EXEC_FUNCTION = re.compile(r"^function (\w+)\s*\(", re.M)


def code_blocks(text):
    """(kind, language, body, line) of every fenced and indented code block."""
    blocks = []
    fenced_spans = []
    for match in FENCE.finditer(text):
        fenced_spans.append((match.start(), match.end()))
        blocks.append(("fenced", match.group(1), match.group(2), text[:match.start()].count("\n") + 1))
    offset = 0
    lines = text.split("\n")
    current, start = [], None
    for number, line in enumerate(lines, 1):
        position = offset
        offset += len(line) + 1
        inside_fence = any(a <= position < b for a, b in fenced_spans)
        if not inside_fence and (line.startswith("    ") or (current and not line.strip())):
            if not current:
                start = number
            current.append(line[4:])
            continue
        if current:
            blocks.append(("indented", "", "\n".join(current), start))
            current = []
    if current:
        blocks.append(("indented", "", "\n".join(current), start))
    return sorted(blocks, key=lambda b: b[3])


def commands_of(body):
    """The lueng commands of a code block, continuations joined, comments dropped."""
    commands = []
    pending = ""
    for line in body.split("\n"):
        line = line.rstrip()
        if pending:
            pending += " " + line.strip().rstrip("\\").strip()
            if not line.endswith("\\"):
                commands.append(pending)
                pending = ""
            continue
        stripped = line.strip()
        if stripped.startswith("$ "):
            stripped = stripped[2:]
        if not re.match(r"(build/)?lueng \w", stripped) or re.match(r"(build/)?lueng \w+:", stripped):
            continue
        if stripped.endswith("\\"):
            pending = stripped.rstrip("\\").strip()
        else:
            commands.append(stripped)
    return [strip_comment(c) for c in commands]


def strip_comment(command):
    """The command without a trailing `# comment` (a # inside quotes stays)."""
    lexer = shlex.shlex(command, posix=True, punctuation_chars=False)
    lexer.whitespace_split = True
    lexer.commenters = "#"
    try:
        return " ".join(shlex.quote(token) for token in lexer)
    except ValueError:
        return command


def examples_of(doc):
    with open(os.path.join(SOURCE_DIR, doc)) as f:
        text = f.read()
    examples = []
    for kind, language, body, line in code_blocks(text):
        if kind == "fenced" and language == "lua":
            examples.append(("lua", body, line))
        elif language in ("", "sh", "bash", "shell", "console"):
            for command in commands_of(body):
                examples.append(("command", command, line))
    return examples


class Mock404s:
    """The mock's count of requests to paths it does not have."""

    def __init__(self, mock):
        self.url = f"http://127.0.0.1:{mock.port}/metrics"

    def count(self):
        with urllib.request.urlopen(self.url, timeout=10) as response:
            text = response.read().decode()
        match = re.search(r'^hotel_mock_requests_total\{endpoint="unknown",status="404"\} (\d+)',
                          text, re.M)
        return int(match.group(1)) if match else 0


class DocExamplesTest(unittest.TestCase):
    """Each Markdown file has a mock of its own, so files run side by side and the
    mock's count of unknown paths belongs to one example at a time."""

    def workdir(self):
        folder = tempfile.mkdtemp(prefix="lueng-doc-")
        os.makedirs(os.path.join(folder, "build"))
        os.symlink(LUENG, os.path.join(folder, "build", "lueng"))
        os.symlink(os.path.join(SOURCE_DIR, "scripts"), os.path.join(folder, "scripts"))
        # Files examples read as given (k6's outputs for `lueng validate`).
        os.makedirs(os.path.join(folder, "tests"))
        os.symlink(os.path.join(SOURCE_DIR, "tests", "fixtures"), os.path.join(folder, "tests", "fixtures"))
        os.makedirs(os.path.join(folder, "bin"))
        os.symlink(LUENG, os.path.join(folder, "bin", "lueng"))
        return folder

    def shell(self, folder, command, timeout=60):
        env = {**os.environ, "LUENG_MAX_DURATION": CAP,
               "PATH": os.path.join(folder, "bin") + os.pathsep + os.environ["PATH"]}
        done = subprocess.run(["bash", "-c", command], cwd=folder, capture_output=True, text=True,
                              timeout=timeout, env=env)
        check_sanitizers(done.stderr, command)
        return done

    def run_lua(self, base_url, folder, where, body, failures):
        name = body.split("\n", 1)[0]
        saved = re.fullmatch(r"--\s*([\w-]+\.lua)\s*", name)
        path = os.path.join(folder, saved.group(1) if saved else f"example-{where.split(':')[1]}.lua")
        with open(path, "w") as f:
            f.write(body)
        functions = set(EXEC_FUNCTION.findall(body))
        if functions and "require" in body:
            done = self.shell(folder, f"lueng run -q -e BASE_URL={base_url} "
                                      f"{shlex.quote(os.path.basename(path))}")
            if done.returncode not in (0, 1, 2):
                failures.append(f"{where}: the script exits {done.returncode}:\n{done.stderr[-1500:]}")
        elif (re.search(r"^options\s*=", body, re.M) and not functions and "http." not in body
              and not OWN_FILES.search(body)):
            with open(path, "a") as f:
                for name in ["default", *re.findall(r"exec\s*=\s*\"(\w+)\"", body)]:
                    f.write(f"\nfunction {name}() end\n")
            done = self.shell(folder, f"lueng inspect {shlex.quote(os.path.basename(path))}")
            if done.returncode != 0:
                failures.append(f"{where}: its options do not check out (lueng inspect exits "
                                f"{done.returncode}):\n{done.stderr[-1500:]}")
        else:
            checker = os.path.join(folder, "compile-check.lua")
            with open(checker, "w") as f:
                f.write(f"local file = io.open({path!r})\nlocal text = file:read('*a')\nfile:close()\n"
                        "local chunk, problem = loadstring(text)\n"
                        "if not chunk and not loadstring('return ' .. text) then error(problem, 0) end\n"
                        "function default() end\n")
            done = self.shell(folder, f"lueng inspect {shlex.quote(checker)}")
            if done.returncode != 0:
                failures.append(f"{where}: the fragment does not compile:\n{done.stderr[-1500:]}")

    def run_command(self, base_url, folder, where, command, failures):
        if TEMPLATE.search(command):
            return
        command = command.replace("http://127.0.0.1:8000", base_url)
        done = self.shell(folder, command)
        # A run, and a merge of runs' segments, end with an SLO verdict.
        allowed = (0, 1, 2) if re.match(r"(build/)?lueng (run|merge) ", command) else (0, 1)
        if done.returncode not in allowed:
            failures.append(f"{where}: `{command}` exits {done.returncode}:\n"
                            f"{(done.stdout + done.stderr)[-1500:]}")

    def run_doc(self, doc, failures, counts):
        mock = start_mock()
        try:
            base_url = f"http://127.0.0.1:{mock.port}"
            unknown = Mock404s(mock)
            folder = self.workdir()
            for kind, body, line in examples_of(doc):
                where = f"{doc}:{line}"
                before = unknown.count()
                if kind == "lua":
                    self.run_lua(base_url, folder, where, body, failures)
                else:
                    self.run_command(base_url, folder, where, body, failures)
                missing = unknown.count() - before
                if missing:
                    failures.append(f"{where}: {missing} requests to paths the hotel mock does not have")
                counts.append(kind)
        finally:
            self.assertEqual(mock.stop(), 0)

    def test_every_example_runs_as_written(self):
        failures, counts = [], []
        started = time.monotonic()
        with concurrent.futures.ThreadPoolExecutor(3) as pool:
            for done in [pool.submit(self.run_doc, doc, failures, counts) for doc in DOCS]:
                done.result()
        elapsed = time.monotonic() - started
        self.assertEqual(failures, [], "\n\n".join(failures))
        self.assertGreater(counts.count("lua"), 40)
        self.assertGreater(counts.count("command"), 20)
        self.assertLess(elapsed, BUDGET_SECONDS, "the examples must stay cheap")

    def test_the_extraction_finds_commands_and_scripts(self):
        text = ("A script:\n\n```lua\n-- a.lua\nfunction default() end\n```\n\n"
                "    build/lueng run -e BASE_URL=http://127.0.0.1:8000 \\\n"
                "      a.lua      # a comment\n"
                "    lueng validate: a message, not a command\n"
                "    lueng compare BASELINE.json CURRENT.json [--tolerance 10%]\n")
        blocks = code_blocks(text)
        self.assertEqual([b[0] for b in blocks], ["fenced", "indented"])
        commands = commands_of(blocks[1][2])
        self.assertEqual(commands[0], "build/lueng run -e BASE_URL=http://127.0.0.1:8000 a.lua")
        self.assertEqual(len(commands), 2)
        self.assertTrue(TEMPLATE.search(commands[1]))


if __name__ == "__main__":
    unittest.main()

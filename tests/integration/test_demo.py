"""`make demo` on a busy machine: when its port (DEMO_PORT, 18080 by default) is
taken, tools/demo.sh, which the Makefile calls, starts the mock on the next free
port and runs the smoke scenario against it. The smoke run is capped at a
second (LUENG_MAX_DURATION) and writes its result in a temporary folder."""

import json
import os
import socket
import subprocess
import tempfile
import unittest

from support import BUILD_DIR, SOURCE_DIR, check_sanitizers


class DemoPortTest(unittest.TestCase):
    def test_a_taken_port_makes_the_demo_use_the_next_free_one(self):
        taken = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.addCleanup(taken.close)
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]

        # The Makefile hands DEMO_PORT to the script.
        done = subprocess.run(["make", "-n", "--no-print-directory", "demo", f"DEMO_PORT={port}"],
                              cwd=SOURCE_DIR, capture_output=True, text=True, timeout=60)
        self.assertIn(f"tools/demo.sh build {port}", done.stdout)

        # scripts/ as the demo reads it (relative), .performance/ in a folder of our own.
        workdir = tempfile.mkdtemp(prefix="lueng-demo-")
        os.symlink(os.path.join(os.path.abspath(SOURCE_DIR), "scripts"),
                   os.path.join(workdir, "scripts"))
        demo = subprocess.run(
            [os.path.join(os.path.abspath(SOURCE_DIR), "tools", "demo.sh"),
             os.path.abspath(BUILD_DIR), str(port)],
            cwd=workdir, capture_output=True, text=True, timeout=60,
            env={**os.environ, "LUENG_MAX_DURATION": "1s"})
        check_sanitizers(demo.stderr)
        self.assertIn(f"demo: port {port} is taken", demo.stderr)
        announced = [line for line in demo.stdout.splitlines()
                     if line.startswith("demo: hotel-mock on 127.0.0.1:")]
        self.assertEqual(len(announced), 1, demo.stdout)
        chosen = int(announced[0].split(":")[2].split(";")[0])
        self.assertIn(chosen, range(port + 1, port + 21))
        # The smoke run reached the mock on that port.
        self.assertIn(demo.returncode, (0, 1, 2), demo.stdout + demo.stderr)
        with open(os.path.join(workdir, ".performance", "demo-result.json")) as f:
            result = json.load(f)
        self.assertEqual(result["base_url"], f"http://127.0.0.1:{chosen}")
        self.assertGreater(result["metrics"]["http_reqs"]["values"]["count"], 0)


if __name__ == "__main__":
    unittest.main()

"""An install is relocatable: `cmake --install` to one prefix, moved elsewhere,
still finds the Lua libraries shipped with it, and the binary holds no path of
the source tree."""

import os
import shutil
import subprocess
import tempfile
import unittest

from support import BUILD_DIR, SOURCE_DIR, check_sanitizers

SCRIPT = """
local stages = require "lueng.stages"
local data = require "hotel.data"
options = { vus = 1, iterations = 1 }
function default() print("shipped modules: " .. type(stages) .. " " .. type(data)) end
"""


class RelocatedInstall(unittest.TestCase):
    def test_a_moved_install_finds_its_lua_libraries(self):
        with tempfile.TemporaryDirectory() as tmp:
            first = os.path.join(tmp, "first")
            subprocess.run(["cmake", "--install", BUILD_DIR, "--prefix", first],
                           check=True, capture_output=True, timeout=120)
            moved = os.path.join(tmp, "elsewhere", "opt-lueng")
            os.makedirs(os.path.dirname(moved))
            shutil.move(first, moved)
            binary = os.path.join(moved, "bin", "lueng")
            self.assertTrue(os.path.isfile(os.path.join(moved, "share", "lueng", "lua", "hotel",
                                                        "data.lua")))
            # The script lives in a folder of its own: nothing near it to find.
            work = os.path.join(tmp, "project")
            os.makedirs(work)
            with open(os.path.join(work, "script.lua"), "w") as f:
                f.write(SCRIPT)
            env = {k: v for k, v in os.environ.items() if k not in ("LUENG_PATH", "LUA_PATH")}
            run = subprocess.run([binary, "run", "--quiet", "script.lua"], cwd=work, env=env,
                                 capture_output=True, text=True, timeout=60)
            check_sanitizers(run.stderr)
            self.assertEqual(run.returncode, 0, run.stderr)
            self.assertIn("shipped modules: table table", run.stderr)

            # Without the libraries the same script fails, naming the module.
            shutil.rmtree(os.path.join(moved, "share", "lueng", "lua"))
            run = subprocess.run([binary, "run", "--quiet", "script.lua"], cwd=work, env=env,
                                 capture_output=True, text=True, timeout=60)
            self.assertEqual(run.returncode, 107, run.stderr)
            self.assertIn("lueng.stages", run.stderr)

    def test_the_binary_holds_no_source_path(self):
        lib_dir = os.path.realpath(os.path.join(SOURCE_DIR, "lib", "lua")).encode()
        with open(os.path.join(BUILD_DIR, "lueng"), "rb") as f:
            self.assertNotIn(lib_dir, f.read())


if __name__ == "__main__":
    unittest.main()

"""Sharing the hotel library with LuaRocks: its rockspec installs it into a rocks
tree with `luarocks --tree DIR make`, and a scenario in another folder requires it
from that tree through LUA_PATH as `luarocks path` sets it (before lueng's own
lib/lua). LUENG_PATH takes Lua's ?.lua templates too, and a path given to require
gets a hint."""

import os
import shutil
import subprocess
import tempfile
import unittest

from hotel_support import MockCase
from support import SOURCE_DIR, run_lueng

ROCKSPEC = "lueng-hotel-1.0-1.rockspec"

SCENARIO = """
local hotel = require "hotel"
options = { iterations = 2, thresholds = { checks = "rate==1" } }
function default()
  hotel.health(hotel.context())
end
function teardown()
  print("hotel from " .. debug.getinfo(hotel.settings, "S").source)
end
"""


@unittest.skipUnless(shutil.which("luarocks"), "luarocks is not installed (tools/install-deps.sh)")
class LuaRocksTest(MockCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="lueng-rocks-")
        self.addCleanup(shutil.rmtree, self.dir, True)

    def luarocks(self, *args, cwd=None):
        done = subprocess.run(["luarocks", *args], cwd=cwd, capture_output=True, text=True,
                              timeout=120, env={**os.environ, "HOME": self.dir})
        self.assertEqual(done.returncode, 0, done.stdout + done.stderr)
        return done.stdout

    def test_the_rock_installs_into_a_tree_that_lueng_finds(self):
        source = os.path.join(self.dir, "checkout")
        shutil.copytree(os.path.join(SOURCE_DIR, "lib", "lua", "hotel"), os.path.join(source, "hotel"))
        shutil.copy(os.path.join(SOURCE_DIR, "lib", "lua", ROCKSPEC), source)
        tree = os.path.join(self.dir, "rocks")
        self.luarocks("--tree", tree, "make", ROCKSPEC, cwd=source)
        self.assertIn("lueng-hotel", self.luarocks("--tree", tree, "list", "--porcelain"))
        lua_path = self.luarocks("--tree", tree, "path", "--lr-path").strip()

        project = os.path.join(self.dir, "another-project", "perf")
        os.makedirs(project)
        script = os.path.join(project, "scenario.lua")
        with open(script, "w") as f:
            f.write(SCENARIO)
        mock = self.start_mock()
        run = run_lueng(args=["-e", f"BASE_URL=http://127.0.0.1:{mock.port}"], script_path=script,
                        env={"LUA_PATH": lua_path + ";;"}, cwd=self.dir)
        self.assertEqual(run.code, 0, run.stderr)
        self.assertIn(f"hotel from @{tree}/share/lua/5.1/hotel/init.lua", run.stderr)
        # The result file says which code ran against what.
        self.assertEqual(run.result["base_url"], f"http://127.0.0.1:{mock.port}")
        self.assertIn(f"{tree}/share/lua/5.1/?.lua", run.result["module_paths"])
        self.assertEqual(run.result["module_paths"][0], project)
        # Without the tree, the same script gets lueng's own copy.
        run = run_lueng(args=["-e", f"BASE_URL=http://127.0.0.1:{mock.port}"], script_path=script)
        self.assertEqual(run.code, 0, run.stderr)
        self.assertNotIn(tree, run.stderr)

    def test_lueng_path_takes_templates_and_a_path_in_require_gets_a_hint(self):
        shared = os.path.join(self.dir, "shared")
        os.makedirs(shared)
        with open(os.path.join(shared, "greeting.lua"), "w") as f:
            f.write('return { text = "hola" }\n')
        text = 'local g = require "greeting"\nfunction default() end\nprint("says " .. g.text)\n'
        run = run_lueng(text, ["-i", "1"], env={"LUENG_PATH": os.path.join(shared, "?.lua")})
        self.assertEqual(run.code, 0, run.stderr)
        self.assertIn("says hola", run.stderr)
        run = run_lueng('local g = require "../shared/greeting"\nfunction default() end\n', ["-i", "1"])
        self.assertEqual(run.code, 107)
        self.assertIn("require takes a module name, not a path: put the folder on LUENG_PATH",
                      run.stderr)
        self.assertIn("lueng looks in the script's folder, LUENG_PATH", run.stderr)


if __name__ == "__main__":
    unittest.main()

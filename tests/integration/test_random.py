"""math.random through the real lueng binary: a generator per VU seeded from the
run seed and the VU id, a fresh run seed per run unless --random-seed or
lueng.random_seed() fixes it, and the seed recorded for a rerun."""

import unittest

from support import lueng, run_lueng

# Four VUs over the workers; each draws integers and a float around a sleep, so
# that the VUs of a worker interleave.
SCRIPT = r'''
local lueng = require "lueng"
if ENV.SEED then lueng.random_seed(tonumber(ENV.SEED)) end
options = { scenarios = { draws = { executor = "per-vu-iterations", vus = 4, iterations = 3 } } }
function setup() print("SETUP " .. math.random(1, 1e9)) end
function default()
  local draws = { math.random(1, 1e9), math.random(1e9) }
  lueng.sleep(math.random(1, 3) / 1000)
  draws[3], draws[4] = math.random(-1e9, 1e9), math.random()
  print(("DRAWS %d %d %s"):format(lueng.vu.id, lueng.vu.iteration, table.concat(draws, " ")))
end
'''


def draws_by_vu(run):
    """{VU id: its draws, iteration by iteration}."""
    by_vu = {}
    for line in run.stderr.splitlines():
        if line.startswith("DRAWS "):
            _, vu, iteration, numbers = line.split(" ", 3)
            by_vu.setdefault(int(vu), {})[int(iteration)] = numbers
    return {vu: [draws[i] for i in sorted(draws)] for vu, draws in by_vu.items()}


def setup_draw(run):
    return [line for line in run.stderr.splitlines() if line.startswith("SETUP ")]


class RandomTest(unittest.TestCase):
    def run_draws(self, *args):
        run = run_lueng(SCRIPT, args=list(args))
        self.assertEqual(run.code, 0, run.stderr[-2000:])
        draws = draws_by_vu(run)
        self.assertEqual(sorted(draws), [1, 2, 3, 4])
        for sequence in draws.values():
            self.assertEqual(len(sequence), 3)
        return run, draws

    def test_vus_on_different_workers_draw_different_numbers(self):
        run, draws = self.run_draws("--threads", "2")
        self.assertEqual(run.result["workers"], 2)
        # VUs 1 and 2 run on the first worker, 3 and 4 on the second.
        sequences = [tuple(draws[vu]) for vu in draws]
        self.assertEqual(len(set(sequences)), 4, draws)
        every_draw = [n for sequence in sequences for line in sequence for n in line.split()]
        self.assertEqual(len(set(every_draw)), len(every_draw), "no draw repeats another")

    def test_runs_without_a_seed_draw_different_numbers_and_record_their_seed(self):
        first, first_draws = self.run_draws()
        second, second_draws = self.run_draws()
        for vu in first_draws:
            self.assertNotEqual(first_draws[vu], second_draws[vu], f"VU {vu}")
        self.assertNotEqual(setup_draw(first), setup_draw(second))
        seeds = [run.result["random_seed"] for run in (first, second)]
        self.assertNotEqual(seeds[0], seeds[1])
        for run, seed in zip((first, second), seeds):
            self.assertIsInstance(seed, int)
            self.assertTrue(0 <= seed < 2 ** 53)
            self.assertIn(f"random seed: {seed}\n", run.stdout)

        # The recorded seed draws the run's numbers again, on any number of workers.
        rerun, rerun_draws = self.run_draws("--random-seed", str(seeds[0]), "--threads", "1")
        self.assertEqual(rerun_draws, first_draws)
        self.assertEqual(setup_draw(rerun), setup_draw(first))

    def test_a_fixed_seed_gives_every_vu_the_same_numbers_in_every_run(self):
        runs = [self.run_draws("--random-seed", "42", "--threads", "2"),
                self.run_draws("--random-seed", "42", "--threads", "1"),
                self.run_draws("-e", "SEED=42", "--threads", "2"),
                self.run_draws("-e", "SEED=42", "--threads", "3")]
        reference_run, reference = runs[0]
        for run, draws in runs:
            self.assertEqual(draws, reference)
            self.assertEqual(setup_draw(run), setup_draw(reference_run))
            self.assertEqual(run.result["random_seed"], 42)
            self.assertIn("random seed: 42\n", run.stdout)
        self.assertEqual(len({tuple(sequence) for sequence in reference.values()}), 4)

    def test_the_flag_wins_over_the_script(self):
        flagged, flagged_draws = self.run_draws("--random-seed", "7", "-e", "SEED=42")
        _, seven = self.run_draws("--random-seed", "7")
        _, forty_two = self.run_draws("--random-seed", "42")
        self.assertEqual(flagged.result["random_seed"], 7)
        self.assertEqual(flagged_draws, seven)
        self.assertNotEqual(flagged_draws, forty_two)

    def test_bad_seeds_exit_104_naming_the_flag(self):
        for bad in (["--random-seed", "abc"], ["--random-seed", "1.5"], ["--random-seed", "-1"],
                    ["--random-seed=-1"], ["--random-seed", "9007199254740992"]):
            with self.subTest(args=bad):
                run = run_lueng(SCRIPT, args=bad)
                self.assertEqual(run.code, 104, run.stderr)
                self.assertIn("--random-seed", run.stderr)
                self.assertNotIn("DRAWS", run.stderr, "nothing ran")

    def test_lueng_random_seed_needs_a_seed_and_init_code(self):
        run = run_lueng('require("lueng").random_seed(-1)\nfunction default() end\n')
        self.assertEqual(run.code, 107)
        self.assertIn("bad argument #1 to 'random_seed' (the seed must be a whole number from 0 "
                      "to 9007199254740991)", run.stderr)
        run = run_lueng('local lueng = require "lueng"\noptions = { iterations = 1 }\n'
                        'function default() lueng.random_seed(1) end\n')
        self.assertEqual(run.result["errors"][0]["count"], 1)
        self.assertIn("random_seed can only be called in the script's top-level code",
                      run.result["errors"][0]["message"])

    def test_inspect_shows_a_fixed_seed(self):
        run = run_lueng(SCRIPT)  # writes the script
        shown = lueng("inspect", "--random-seed", "42", run.script_path)
        self.assertEqual(shown.returncode, 0, shown.stderr)
        self.assertIn("random seed: 42\n", shown.stdout)
        chosen = lueng("inspect", "-e", "SEED=5", run.script_path)
        self.assertIn("random seed: 5\n", chosen.stdout)
        # A seed left to chance is drawn again by the run: inspect does not show one.
        left = lueng("inspect", run.script_path)
        self.assertEqual(left.returncode, 0, left.stderr)
        self.assertNotIn("random seed", left.stdout)


if __name__ == "__main__":
    unittest.main()

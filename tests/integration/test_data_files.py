"""lueng.data and lueng.scenario through the real lueng binary: files found from
the script's folder whatever the current directory, unique picks that give each
row exactly once over two workers, running out of rows (an error, or the
scenario stopped), JSON, lines, open(), typed columns, the other picks, errors
that name the file and line, and the hotel library's guests from a CSV against
hotel-mock. Every run is bounded by an iteration count or a short duration."""

import os
import re
import shutil
import tempfile
import time
import unittest

from hotel_support import MockCase, checks_by_name
from support import SOURCE_DIR, run_lueng


def write(folder, name, text):
    path = os.path.join(folder, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", newline="") as f:
        f.write(text)
    return path


def marked(run, marker):
    """The words after `marker` on each stderr line that starts with it."""
    return [line[len(marker):].split() for line in run.stderr.splitlines() if line.startswith(marker)]


def distinct(run, marker):
    """marked(), each line once: init code runs in the main thread's state and in
    every worker's."""
    return sorted(set(tuple(words) for words in marked(run, marker)), key=str)


class DataFilesTest(unittest.TestCase):
    def folder(self):
        folder = tempfile.mkdtemp(prefix="lueng-data-")
        self.addCleanup(shutil.rmtree, folder, True)
        return folder

    def run_in(self, folder, script, *args, cwd="/"):
        """Runs folder/script from another current directory (/ by default)."""
        return run_lueng(args=list(args), script_path=os.path.join(folder, script), cwd=cwd)

    def test_unique_rows_over_two_workers_each_row_once(self):
        folder = self.folder()
        rows = 40
        write(folder, "data/ids.csv",
              "id,name\n" + "".join(f"{i},guest {i}\n" for i in range(1, rows + 1)))
        write(folder, "unique.lua", r'''
local data = require "lueng.data"
local lueng = require "lueng"
local ids = data.csv("data/ids.csv")
options = { scenarios = { book = { executor = "shared-iterations", vus = 4, iterations = 40 } } }
function default()
  local row = ids:unique()
  lueng.sleep(0.001)
  assert(ids:unique().id == row.id, "the same row all through the iteration")
  local s = lueng.scenario
  print(("ROW %s %d %d %s %s"):format(row.id, s.iteration_in_test, s.iterationInInstance,
                                     s.name, s.executor))
end
''')
        run = self.run_in(folder, "unique.lua", "--threads", "2")
        self.assertEqual(run.code, 0, run.stderr[-2000:])
        self.assertEqual(run.result["workers"], 2)
        seen = marked(run, "ROW ")
        self.assertEqual(sorted(int(r[0]) for r in seen), list(range(1, rows + 1)))
        self.assertEqual(sorted(int(r[1]) for r in seen), list(range(rows)))
        for row_id, in_test, in_instance, name, executor in seen:
            self.assertEqual(int(row_id), int(in_test) + 1)  # row n+1 for iteration n
            self.assertEqual(in_test, in_instance)           # no execution segment
            self.assertEqual((name, executor), ("book", "shared-iterations"))

    def test_execution_segments_pick_disjoint_rows_that_cover_the_file(self):
        folder = self.folder()
        rows = 30
        write(folder, "ids.csv", "id\n" + "".join(f"{i}\n" for i in range(1, rows + 1)))
        write(folder, "segments.lua", r'''
local lueng = require "lueng"
local ids = require("lueng.data").csv("ids.csv")
options = { scenarios = { s = { executor = "shared-iterations", vus = 6, iterations = 30 } } }
function default()
  print(("ROW %s %d %d"):format(ids:unique().id, lueng.scenario.iteration_in_test,
                                lueng.scenario.iteration_in_instance))
end
''')
        seen = []
        for index in range(3):
            run = self.run_in(folder, "segments.lua", "--segment-index", str(index),
                              "--segment-count", "3", "--threads", "2")
            self.assertEqual(run.code, 0, run.stderr[-2000:])
            mine = marked(run, "ROW ")
            self.assertEqual(len(mine), 10, run.stderr[-2000:])  # a third of the iterations
            self.assertEqual(sorted(int(r[2]) for r in mine), list(range(10)))
            for row_id, in_test, _ in mine:
                self.assertEqual(int(row_id), int(in_test) + 1)
            seen += [int(r[0]) for r in mine]
        self.assertEqual(sorted(seen), list(range(1, rows + 1)), "disjoint, and every row")

    def test_running_out_of_unique_rows_is_an_error_naming_the_file(self):
        folder = self.folder()
        write(folder, "three.csv", "id\n1\n2\n3\n")
        write(folder, "out.lua", r'''
local rows = require("lueng.data").csv("three.csv")
options = { iterations = 5, vus = 1 }
function default() print("ROW " .. rows:unique().id) end
''')
        run = self.run_in(folder, "out.lua")
        self.assertEqual(marked(run, "ROW "), [["1"], ["2"], ["3"]])
        self.assertIn("rows:unique(): the 3 rows of three.csv ran out at iteration 3", run.stderr)
        self.assertEqual(run.stderr.count("ran out"), 2, run.stderr[-2000:])

    def test_running_out_with_stop_ends_the_scenario_on_every_worker(self):
        folder = self.folder()
        write(folder, "three.csv", "id\n1\n2\n3\n")
        write(folder, "stop.lua", r'''
local lueng = require "lueng"
local rows = require("lueng.data").csv("three.csv")
options = { scenarios = { s = { executor = "constant-vus", vus = 4, duration = "20s" } } }
function default()
  local row = rows:unique({ exhausted = "stop" })
  print("ROW " .. row.id)
  lueng.sleep(0.01)
end
''')
        started = time.monotonic()
        run = self.run_in(folder, "stop.lua", "--threads", "2")
        self.assertLess(time.monotonic() - started, 15, "the scenario stopped long before 20s")
        self.assertEqual(run.code, 0, run.stderr[-2000:])
        self.assertEqual(sorted(marked(run, "ROW ")), [["1"], ["2"], ["3"]])
        self.assertNotIn("ERROR", run.stderr)
        self.assertEqual(run.metric("iterations")["count"], 3)

    def test_json_lines_open_types_and_the_other_picks(self):
        folder = self.folder()
        write(folder, "data/stays.csv", "\ufeffname;nights;vip\r\n\"Silva; Ana\";3;true\r\nBo;;FALSE\r\n")
        write(folder, "data/plain.csv", "a,1\nb,2\nc,3\n")
        write(folder, "data/rooms.json",
              '{"hotel": "Andes", "rooms": [{"id": 7, "beds": [1, 2]}, {"id": 9, "beds": []}]}')
        write(folder, "data/codes.txt", "alpha\r\nbeta\n\ngamma\n")
        write(folder, "many.lua", r'''
local data = require "lueng.data"
local lueng = require "lueng"
local stays = data.csv("data/stays.csv", { separator = ";", types = { nights = "number", vip = "boolean" } })
local plain = data.csv("data/plain.csv", { header = false, types = { [2] = "number" } })
local doc = data.json("data/rooms.json")
local codes = data.lines("data/codes.txt")
local text = open("data/codes.txt")
assert(data.csv("data/stays.csv", { types = { vip = "boolean", nights = "number" }, separator = ";" }))
print("INIT " .. #stays .. " " .. stays[1].name:gsub(" ", "_") .. " " .. stays[1].nights + 1 ..
      " " .. tostring(stays[1].vip) .. " " .. tostring(stays[2].nights) .. " " .. tostring(stays[2].vip))
print("PLAIN " .. #plain .. " " .. plain[3][1] .. " " .. plain[3][2] * 10 .. " " .. #plain[1])
print("JSON " .. doc.hotel .. " " .. #doc.rooms .. " " .. doc.rooms[1].id .. " " .. doc.rooms[1].beds[2] ..
      " " .. #doc.rooms[2].beds .. " " .. tostring(doc.nothing))
print("LINES " .. #codes .. " " .. codes[1] .. " " .. codes[2] .. " [" .. codes[3] .. "] " .. codes[4])
print("OPEN " .. #text)
local seen = {}
for i, row in plain:iter() do seen[#seen + 1] = i .. "=" .. row[1] end
for i, room in doc.rooms:iter() do seen[#seen + 1] = i .. "=" .. room.id end
print("ITER " .. table.concat(seen, ","))
print("HEADER " .. table.concat(stays:header(), ","))
options = { scenarios = { s = { executor = "per-vu-iterations", vus = 3, iterations = 4 } } }
function default()
  print(("PICK %d %d %s %s %s %.4f"):format(lueng.vu.id, lueng.vu.iteration, plain:per_vu()[1],
                                            plain:circular()[1], plain:random()[1],
                                            lueng.scenario.progress))
end
''')
        run = self.run_in(folder, "many.lua", "--threads", "2", "--random-seed", "7")
        self.assertEqual(run.code, 0, run.stderr[-2000:])
        self.assertEqual(distinct(run, "INIT "), [("2", "Silva;_Ana", "4", "true", "nil", "false")])
        self.assertEqual(distinct(run, "PLAIN "), [("3", "c", "30", "2")])
        self.assertEqual(distinct(run, "JSON "), [("Andes", "2", "7", "2", "0", "nil")])
        self.assertEqual(distinct(run, "LINES "), [("4", "alpha", "beta", "[]", "gamma")])
        self.assertEqual(distinct(run, "OPEN "), [("19",)])
        self.assertEqual(distinct(run, "ITER "), [("1=a,2=b,3=c,1=7,2=9",)])
        self.assertEqual(distinct(run, "HEADER "), [("name,nights,vip",)])
        picks = marked(run, "PICK ")
        self.assertEqual(len(picks), 12)
        # progress: iterations done of the 12 planned (3 VUs x 4), when each began
        progress = [float(p[5]) for p in picks]
        self.assertTrue(all(0 <= value < 1 for value in progress), progress)
        self.assertGreaterEqual(max(progress), 0.5, progress)
        for vu, _, own, _, drawn, _ in picks:
            self.assertEqual(own, "abc"[(int(vu) - 1) % 3])  # VU n: row n, the same each time
            self.assertIn(drawn, ("a", "b", "c"))
        circular = sorted(p[3] for p in picks)
        self.assertEqual(circular, ["a"] * 4 + ["b"] * 4 + ["c"] * 4)  # 12 iterations over 3 rows
        again = self.run_in(folder, "many.lua", "--threads", "2", "--random-seed", "7")
        draws = lambda r: sorted((p[0], p[1], p[4]) for p in marked(r, "PICK "))
        self.assertEqual(draws(run), draws(again), "the run seed repeats the random picks")

    def test_errors_name_the_file_and_the_line(self):
        folder = self.folder()
        write(folder, "data/bad.csv", "id,name\n1,Ana\n2\n")
        write(folder, "data/bad.json", '{\n  "a": [1, 2,\n}\n')
        write(folder, "data/typed.csv", "id,nights\n1,2\n2,two\n")
        cases = [
            ('data.csv("data/bad.csv")', "data/bad.csv:3: 1 field where the header has 2"),
            ('data.json("data/bad.json")', "data/bad.json:3: "),
            ('data.csv("data/typed.csv", { types = { nights = "number" } })',
             "data/typed.csv:3: column 'nights' is not a number: 'two'"),
            ('data.csv("data/none.csv")', "data.csv: cannot find 'data/none.csv'"),
            ('data.csv("data/bad.csv", { headers = true })', "unknown option 'headers'"),
            ('open("nowhere.txt")', "open: cannot find 'nowhere.txt'"),
        ]
        for call, expected in cases:
            with self.subTest(call=call):
                write(folder, "broken.lua",
                      f'local data = require "lueng.data"\n\nlocal x = {call}\n'
                      'options = { iterations = 1 }\nfunction default() end\n')
                run = self.run_in(folder, "broken.lua")
                self.assertEqual(run.code, 107, run.stderr[-2000:])
                self.assertIn(expected, run.stderr)
                self.assertRegex(run.stderr, r"broken\.lua:3: ")  # and the script's line

    def test_scenario_fields_are_nil_in_init_code_and_read_only(self):
        folder = self.folder()
        write(folder, "fields.lua", r'''
local lueng = require "lueng"
print("INIT " .. tostring(lueng.scenario.name))
options = { iterations = 2 }
function default()
  print(("FIELDS %s %d %.0f"):format(lueng.scenario.name, lueng.scenario.iteration_in_test,
                                    lueng.scenario.startTime > 1.7e12 and 1 or 0))
  local ok = pcall(function() lueng.scenario.name = "x" end)
  assert(not ok, "read-only")
end
''')
        run = self.run_in(folder, "fields.lua")
        self.assertEqual(run.code, 0, run.stderr[-2000:])
        self.assertIn(["nil"], marked(run, "INIT "))
        self.assertEqual(sorted(marked(run, "FIELDS ")), [["default", "0", "1"], ["default", "1", "1"]])


class HotelGuestsFileTest(MockCase):
    def test_reservations_book_the_guests_of_the_csv(self):
        mock = self.start_mock()
        folder = tempfile.mkdtemp(prefix="lueng-guests-")
        self.addCleanup(shutil.rmtree, folder, True)
        script = os.path.join(folder, "book.lua")
        with open(script, "w") as f:
            f.write(r'''
local hotel = require "hotel"
local lueng = require "lueng"
options = { scenarios = { book = { executor = "shared-iterations", vus = 2, iterations = 6 } } }
function default()
  local reservation = hotel.reservations.flow(hotel.context())
  if reservation then print("GUEST " .. reservation.guest.phone .. " " .. reservation.guest.email) end
end
''')
        guests = os.path.join(SOURCE_DIR, "scripts", "data", "guests.csv")
        run = run_lueng(args=["-e", f"BASE_URL=http://127.0.0.1:{mock.port}",
                              "-e", f"GUESTS_CSV={guests}", "-e", "GUESTS_PICK=unique",
                              "--threads", "2"], script_path=script, cwd="/")
        self.assertEqual(run.code, 0, run.stderr[-2000:])
        with open(guests) as f:
            first_six = [re.split(",", line)[2:4] for line in f.read().splitlines()[1:7]]
        booked = marked(run, "GUEST ")
        self.assertGreaterEqual(len(booked), 4, run.stderr[-2000:])  # a unit may be taken
        for phone, email in booked:
            self.assertIn([email, phone], first_six)
        self.assertEqual(len(set(p for p, _ in booked)), len(booked), "each guest books once")
        passes, fails = checks_by_name(run.result)["reservation matches the request"]
        self.assertEqual(fails, 0)


if __name__ == "__main__":
    unittest.main()

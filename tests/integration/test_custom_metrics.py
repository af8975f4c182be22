"""Custom metrics (require "lueng.metrics") through a real run: exact values per
type, tags and sub-series in the result file, the summary, and errors."""

import json
import unittest

from support import lueng, run_lueng


class CustomMetricsTest(unittest.TestCase):
    def test_every_type_records_exact_values_with_tags(self):
        run = run_lueng("""
            local metrics = require "lueng.metrics"
            local lueng = require "lueng"
            local orders = metrics.Counter("orders")
            local queue = metrics.Gauge("queue_depth")
            local ok = metrics.Rate("booking_ok")
            local think = metrics.Trend("think_time", true)
            local size = metrics.Trend("cart_size")
            function default()
              local i = lueng.vu.iteration
              orders:add(2, { shop = i % 2 == 0 and "even" or "odd" })
              queue:add(i)
              ok:add(i % 4 ~= 0)
              think:add(10 * (i + 1))
              size:add(i + 1, { kind = "cart", items = i % 2, express = true })
            end
        """, ["-u", "1", "-i", "8"])
        self.assertEqual(run.code, 0, run.stderr)
        metrics = run.result["metrics"]
        self.assertEqual(metrics["orders"]["type"], "counter")
        self.assertEqual(metrics["orders"]["values"]["count"], 16)
        by_shop = {s["tags"]["shop"]: s["values"]["count"] for s in metrics["orders"]["series"]}
        self.assertEqual(by_shop, {"even": 8, "odd": 8})
        self.assertEqual(metrics["queue_depth"]["values"]["value"], 7)
        self.assertEqual(metrics["queue_depth"]["values"]["max"], 7)
        self.assertEqual(metrics["booking_ok"]["values"]["passes"], 6)
        self.assertEqual(metrics["booking_ok"]["values"]["fails"], 2)
        self.assertEqual(metrics["think_time"]["contains"], "time")
        self.assertEqual(metrics["think_time"]["values"]["max"], 80)
        self.assertEqual(metrics["think_time"]["values"]["avg"], 45)
        self.assertEqual(metrics["cart_size"]["contains"], "default")
        self.assertEqual(metrics["cart_size"]["values"]["count"], 8)
        # A number or a boolean is a tag value as its text, as in k6.
        by_items = {s["tags"]["items"]: s["values"]["count"] for s in metrics["cart_size"]["series"]}
        self.assertEqual(by_items, {"0": 4, "1": 4})
        series = metrics["cart_size"]["series"][0]["tags"]
        self.assertEqual(series["kind"], "cart")
        self.assertEqual(series["scenario"], "default")
        self.assertEqual(series["express"], "true")
        self.assertIn("orders", run.stdout)
        self.assertIn("think_time", run.stdout)

    def test_a_metric_created_inside_an_iteration_is_a_script_error(self):
        run = run_lueng("""
            local metrics = require "lueng.metrics"
            function default() metrics.Counter("late"):add(1) end
        """, ["-i", "1"])
        self.assertIn("metrics must be created in the script's top-level code", run.stderr)

    def test_a_tag_that_is_not_a_string_or_number_is_an_error_at_the_scripts_line(self):
        # As params.tags: never dropped unseen, which would leave the filter empty.
        run = run_lueng("""
            local lueng = require "lueng"
            local metrics = require "lueng.metrics"
            local c = metrics.Counter("tagged")
            function default()
              if lueng.vu.iteration == 0 then c:add(1, { n = {} }) end
              if lueng.vu.iteration == 1 then lueng.check(true, { ok = true }, { x = print }) end
              if lueng.vu.iteration == 2 then c:add(1, { "positional" }) end
              c:add(1, { n = 5, s = "x" })
            end
        """, ["-i", "4"])
        self.assertEqual(run.code, 0, run.stderr)
        path = run.script_path
        messages = {e["message"] for e in run.result["errors"]}
        values = "(strings, numbers and booleans are tag values)"
        self.assertEqual(messages, {
            f"{path}:6: metric:add: invalid value for metric tag 'n': a table {values}",
            f"{path}:7: check: invalid value for metric tag 'x': a function {values}",
            f"{path}:8: metric:add: tags must map names to values (a number key)",
        })
        self.assertEqual(run.metric("tagged")["count"], 1)

    def test_a_name_taken_by_another_type_is_rejected(self):
        run = run_lueng("""
            local metrics = require "lueng.metrics"
            metrics.Trend("http_reqs")
            function default() end
        """, ["-i", "1"])
        self.assertEqual(run.code, 107, run.stderr)
        self.assertIn("metric 'http_reqs' already exists as a counter", run.stderr)

    def test_an_invalid_name_is_rejected(self):
        run = run_lueng("""
            local metrics = require "lueng.metrics"
            metrics.Rate("bad-name")
            function default() end
        """, ["-i", "1"])
        self.assertEqual(run.code, 107, run.stderr)
        self.assertIn("invalid metric name 'bad-name'", run.stderr)

    def test_names_are_2_to_129_characters_as_in_k6(self):
        run = run_lueng("""
            local metrics = require "lueng.metrics"
            metrics.Counter("x%s")
            metrics.Counter("a")
            function default() end
        """ % ("y" * 128), ["-i", "1"])
        self.assertEqual(run.code, 107, run.stderr)
        self.assertIn("invalid metric name 'a'", run.stderr)
        self.assertNotIn("invalid metric name 'xy", run.stderr)

    def test_nan_and_infinities_are_refused_and_the_result_stays_valid(self):
        run = run_lueng("""
            local metrics = require "lueng.metrics"
            local t = metrics.Trend("tt")
            local g = metrics.Gauge("gg")
            local c = metrics.Counter("cc")
            options = { thresholds = { tt = "avg<2", gg = "value==1", cc = "count==1" } }
            function default()
              for _, bad in ipairs({ 0/0, 1/0, -1/0 }) do
                for _, m in ipairs({ t, g, c }) do
                  local ok, err = pcall(m.add, m, bad)
                  assert(not ok, "accepted " .. tostring(bad))
                  print(err)
                end
              end
              t:add(1); g:add(1); c:add(1)
              t:add(0/0)
            end
        """, ["-i", "1"])
        # The uncaught one ends the only iteration: a run that measured nothing but
        # script errors exits 107, its SLOs met or not, and its result file stays valid.
        self.assertEqual(run.code, 107, run.stderr)
        self.assertIn("trend.add: the value must be a finite number, not nan", run.stderr)
        self.assertIn("gauge.add: the value must be a finite number, not inf", run.stderr)
        self.assertIn("counter.add: the value must be a finite number, not -inf", run.stderr)
        self.assertIn("trend.add: the value must be a finite number, not nan", run.stderr)
        metrics = run.result["metrics"]  # parsed: the file is JSON
        self.assertEqual(metrics["tt"]["values"]["count"], 1)
        self.assertEqual(metrics["gg"]["values"]["value"], 1)
        self.assertEqual(metrics["cc"]["values"]["count"], 1)
        done = lueng("validate", run.result_path, "--format", "json")
        self.assertEqual(done.returncode, 107, done.stderr)
        self.assertTrue(json.loads(done.stdout)["verdict"].startswith("SCRIPT ERRORS"))
        self.assertEqual([s["status"] for s in json.loads(done.stdout)["results"]], ["PASS"] * 3)


if __name__ == "__main__":
    unittest.main()

"""The five scenario scripts of scripts/, time-scaled to seconds, against a real
hotel-mock with secrets set: each exits 0, exercises every endpoint with its
own tag, and every check passes."""

import unittest

from hotel_support import (ENDPOINTS, K6_MIX_ENDPOINTS, MockCase, checks_by_name, run_scenario,
                           series_by_tag)
from support import SANITIZED


# The checks a lost race for a unit fails (hotel/reservations.lua).
RACE_CHECKS = {"prereserve is 201", "prereserve dates were free", "prereserve is pre_reserved"}


class ScenariosTest(MockCase):
    def assertHealthyRun(self, run, endpoints=ENDPOINTS, timing_slos=()):
        """`timing_slos`: SLOs that may fail under a sanitizer only, which delays
        resumes by milliseconds at random (drift, not the target, moves)."""
        self.assertIsNotNone(run.result, run.stderr[-3000:])
        failed = {s["slo"] for s in run.result["slos"]["results"]
                  if s["status"] in ("FAIL", "CRITICAL")}
        if SANITIZED and failed and failed <= set(timing_slos):
            self.assertEqual(run.code, 1, run.stderr[-3000:])
        else:
            self.assertEqual(run.code, 0, run.stdout[-3000:] + run.stderr[-3000:])
        self.assertEqual(run.result["errors"], [], "no script error in any iteration")
        seen = series_by_tag(run.result, "http_req_duration", "endpoint")
        for endpoint in endpoints:
            self.assertGreater(seen.get(endpoint, 0), 0, f"no request tagged endpoint={endpoint}")
        # Many VUs may race for the last free unit of some dates: the loser's 409 is
        # the API working. Nothing else may fail.
        for series in run.result["metrics"]["http_req_failed"]["series"]:
            if series["values"]["passes"]:
                self.assertEqual((series["tags"].get("endpoint"), series["tags"].get("status")),
                                 ("prereserve", "409"), series)
        failing = {name for name, counts in checks_by_name(run.result).items() if counts[1]}
        self.assertLessEqual(failing, RACE_CHECKS)
        if run.code == 0:
            self.assertIn("verdict:    PASSED (exit 0)", run.stdout)

    def test_smoke(self):
        mock = self.start_mock()
        run = run_scenario(mock, "smoke", 0.05)  # 1m -> 3 s
        self.assertHealthyRun(run)
        self.assertEqual(run.result["max_vus"], 1)

    def test_the_health_path_is_configurable(self):
        mock = self.start_mock()
        run = run_scenario(mock, "smoke", 0.05, "-e", "HEALTH_PATH=/health/ready")
        self.assertHealthyRun(run)
        names = {series["tags"].get("name") for series in run.result["metrics"]["http_reqs"]["series"]
                 if series["tags"].get("endpoint") == "health"}
        self.assertEqual(names, {"/health/ready"})

    def test_load(self):
        # Held 1 s, pre-reservations leave the calendar room for the whole run (held
        # 15 min, as by default, they would fill it: booking_availability says so).
        mock = self.start_mock("--hold", "1s")
        run = run_scenario(mock, "load", 0.01)  # 14m -> 8.4 s
        self.assertHealthyRun(run, K6_MIX_ENDPOINTS)
        self.assertEqual(run.metric("vus_max")["max"], 10)
        self.assertIn("load", series_by_tag(run.result, "http_reqs", "test_type"))
        shares = self.shares(run)
        self.assertGreater(shares["whatsapp"], shares.get("accommodations", 0), "WhatsApp-heavy")
        self.assertGreater(shares["metrics"], 0.02)
        # The Locust suite's business metrics, with their SLOs met against a healthy mock.
        for metric in ("booking_success", "locks_acquired", "webhooks_processed",
                       "constraint_violations", "booking_availability"):
            values = run.metric(metric)
            self.assertGreater(values["passes"] + values["fails"], 0, metric)
            statuses = {r["status"] for r in run.result["slos"]["results"] if r["slo"] == metric}
            self.assertEqual(statuses, {"PASS"}, metric)

    def test_load_with_the_locust_profile(self):
        mock = self.start_mock()
        run = run_scenario(mock, "load", 0.01, "-e", "MIX=locust")
        self.assertHealthyRun(run)
        shares = self.shares(run)
        self.assertGreater(shares["accommodations"], shares["whatsapp"])
        self.assertNotIn("metrics", shares)

    def shares(self, run):
        counts = series_by_tag(run.result, "http_reqs", "endpoint")
        total = sum(counts.values())
        return {endpoint: count / total for endpoint, count in counts.items()}

    def test_load_keeps_its_own_throughput_slo_in_real_time(self):
        # Ten VUs of the load mix, unscaled, for 3 s: the rate the "> 10 req/s" SLO
        # of the whole run sees is this one times 0.73 (the VUs the stages average).
        mock = self.start_mock()
        run = run_scenario(mock, "load", 1, "-u", "10", "-d", "3s")
        rate = run.metric("http_reqs")["rate"]
        self.assertGreater(rate * 0.73, 10, f"{rate:.1f} req/s at 10 VUs")

    def test_stress(self):
        mock = self.start_mock("--threads", "2")
        run = run_scenario(mock, "stress", 0.003)  # 27m -> 4.9 s
        self.assertHealthyRun(run)
        self.assertEqual(run.metric("vus_max")["max"], 50)
        # The guide's "stable up to 30 VUs": no breaking point below 30 against the mock.
        [point] = [p for p in run.result["findings"]["breaking_points"] if p["scenario"] == "stress"]
        if point["reached"]:
            self.assertGreaterEqual(point["vus"], 30, point)

    def test_stress_continues_past_the_breaking_point_when_asked(self):
        # A target that breaks at a few VUs: beyond 4 in flight, 503s.
        mock = self.start_mock("--capacity", "4", "--latency", "default=20ms")
        run = run_scenario(mock, "stress", 0.008, "-e", "STRESS_CONTINUE=1")  # 32m -> 15 s
        self.assertIsNotNone(run.result, run.stderr)
        self.assertEqual(run.result["slos"]["aborted_by"], "", "no abort_on_fail stop")
        self.assertEqual(run.result["errors"], [])
        self.assertIn("breaking point (stress): at", run.stdout)
        [point] = [p for p in run.result["findings"]["breaking_points"] if p["scenario"] == "stress"]
        self.assertTrue(point["reached"], point)
        # Past it: the run went on up to 50 VUs, failing more, and back down to 10
        # VUs, where the target answers again.
        after = [p for p in run.result["time_series"] if p["t"] > point["t"]]
        peak = max(after, key=lambda p: p["vus"])
        self.assertGreater(peak["vus"], 40)
        self.assertGreater(peak["http_req_failed"], 0)
        calm = [p for p in after if p["t"] > peak["t"] and 0 < p["vus"] <= 12 and p["http_reqs"]]
        self.assertTrue(calm, after)
        # Recovered by the script's own measure: under its 5% failure breaking point
        # (not zero: two VUs racing for the same unit get a 409 about once a run).
        self.assertLess(calm[-1]["http_req_failed"], 0.05 * calm[-1]["http_reqs"], after)
        # The recovery finding judges the drop back to 10 VUs against the warm-up
        # (at this time scale the hold is too short to call it recovered).
        [recovery] = [r for r in run.result["findings"]["recoveries"] if r["scenario"] == "stress"]
        self.assertGreater(recovery["before_p95_ms"], 0, recovery)
        self.assertIn("recovery (stress): ", run.stdout)

    def test_the_locust_suite_scenarios(self):
        # (script, TIME_SCALE, VUs at the top): baseline 1m, peak 5m, stress 10m, endurance 1h.
        for name, scale, users in (("baseline", 0.05, 10), ("peak", 0.01, 100),
                                   ("stress", 0.005, 200), ("endurance", 0.002, 50)):
            # As for the soak: drift needs a latency well above scheduling noise.
            latency = ("--latency", "default=100ms:1ms") if name == "endurance" else ()
            mock = self.start_mock("--threads", "2", *latency)
            run = run_scenario(mock, f"locust-{name}", scale)
            self.assertIn(run.code, (0, 1), f"{name}: " + run.stdout[-3000:] + run.stderr[-3000:])
            self.assertEqual(run.result["errors"], [], name)
            self.assertEqual(run.metric("vus_max")["max"], users, name)
            slos = {r["slo"] for r in run.result["slos"]["results"]}
            self.assertIn("http_req_failed", slos, name)
            if name == "endurance":
                self.assertIn("latency_drift", slos)
                self.assertGreater(run.metric("latency_drift")["count"], 0)

    def test_the_locust_burst_of_pre_reservations(self):
        mock = self.start_mock()
        run = run_scenario(mock, "locust-burst", 1)
        self.assertEqual(run.code, 0, run.stdout[-3000:] + run.stderr[-3000:])
        self.assertEqual(series_by_tag(run.result, "http_reqs", "endpoint")["prereserve"], 100)
        self.assertEqual(run.metric("vus_max")["max"], 100)

    def test_spike(self):
        mock = self.start_mock("--threads", "2")
        # The baseline phase (10 s) must outlast the start of 100 VUs on a busy machine.
        run = run_scenario(mock, "spike", 0.05)  # 3m30s -> 10.5 s
        self.assertHealthyRun(run)
        self.assertEqual(run.metric("vus_max")["max"], 100)
        phases = series_by_tag(run.result, "http_reqs", "phase")
        for phase in ("baseline", "spike", "recovery", "recovered"):
            self.assertGreater(phases.get(phase, 0), 0, f"no request in phase {phase}: {phases}")
        self.assertGreater(phases["spike"], phases["baseline"])

    def test_soak(self):
        # A steady latency well above loopback and scheduling noise (a busy machine
        # delays a resume by milliseconds, tens of them under a load of 14) makes the
        # drift measurement meaningful: at 40 ms a stall read as 67% drift.
        mock = self.start_mock("--latency", "default=100ms:1ms")
        run = run_scenario(mock, "soak", 0.004)  # 30m -> 7.2 s
        self.assertHealthyRun(run, timing_slos={"latency_drift"})
        drift = run.metric("latency_drift")
        self.assertGreater(drift["count"], 0, "latency_drift has samples from the last fifth")
        # The target's memory, scraped from its /metrics, grew by less than 30%.
        [growth] = [r for r in run.result["slos"]["results"]
                    if r["slo"] == "target_process_resident_memory_bytes_growth"]
        self.assertEqual(growth["status"], "PASS", growth)
        [memory] = run.result["findings"]["target_growth"]
        self.assertFalse(memory["flagged"], memory)

    def test_soak_finds_a_leaking_target(self):
        # The same soak against a mock whose memory grows with every request: the
        # growth SLO (P1) fails and the finding says so.
        mock = self.start_mock("--latency", "default=100ms:1ms", "--leak")
        run = run_scenario(mock, "soak", 0.004)
        self.assertEqual(run.code, 1, run.stdout[-3000:] + run.stderr[-3000:])
        failed = {r["slo"] for r in run.result["slos"]["results"] if r["status"] == "FAIL"}
        self.assertIn("target_process_resident_memory_bytes_growth", failed)
        [memory] = run.result["findings"]["target_growth"]
        self.assertTrue(memory["flagged"], memory)
        self.assertGreater(memory["growth_percent"], 30)
        self.assertIn("a leak?", run.stdout)

    def test_a_shorter_soak_measures_drift_in_its_own_fifths(self):
        # The guide's tip, `-d 10m`, here `-d 4s`: the windows follow the duration given,
        # not the 30 minutes of the preset. (Whether 4 s see every endpoint's SLO is
        # not the question: a rare one may have no data.)
        mock = self.start_mock("--latency", "default=100ms:1ms")
        run = run_scenario(mock, "soak", 0.004, "-u", "5", "-d", "4s")
        self.assertIn(run.code, (0, 1, 2), run.stdout[-3000:] + run.stderr[-3000:])
        self.assertEqual(run.result["errors"], [])
        self.assertGreater(run.metric("latency_drift")["count"], 0, "no NO DATA for the drift SLO")
        [drift] = [r for r in run.result["slos"]["results"] if r["slo"].startswith("latency_drift")]
        self.assertNotEqual(drift["status"], "NO DATA")


if __name__ == "__main__":
    unittest.main()

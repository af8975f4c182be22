"""Shared pieces of the tests of the hotel scenarios and library: a hotel-mock
with known secrets, and helpers to run the scripts of scripts/ against it."""

import os
import unittest

from support import SOURCE_DIR, run_lueng
from test_hotel_mock import Mock

WHATSAPP_SECRET = "scenario_app_secret"
MP_SECRET = "scenario_mp_secret"
VERIFY_TOKEN = "scenario_verify_token"

# Every endpoint tag the scripts use (hotel.slo.endpoint_p95).
ENDPOINTS = {"health", "accommodations", "accommodation_availability", "availability",
             "room_types", "prereserve", "reservation", "whatsapp", "whatsapp_audio",
             "mercadopago", "verify"}


# The endpoints of the k6 guide's load mix (scripts/load.lua's default), setup's included.
K6_MIX_ENDPOINTS = {"health", "verify", "whatsapp", "whatsapp_audio", "availability", "room_types",
                    "accommodation_availability", "prereserve", "reservation", "metrics"}


def start_mock(*args):
    return Mock("--whatsapp-secret", WHATSAPP_SECRET, "--mp-secret", MP_SECRET,
                "--verify-token", VERIFY_TOKEN, *args)


def run_scenario(mock, name, time_scale, *extra, timeout=90):
    args = ["-e", f"BASE_URL=http://127.0.0.1:{mock.port}", "-e", f"TIME_SCALE={time_scale}",
            "-e", f"WHATSAPP_SECRET={WHATSAPP_SECRET}", "-e", f"MP_SECRET={MP_SECRET}",
            "-e", f"VERIFY_TOKEN={VERIFY_TOKEN}", *extra]
    return run_lueng(args=args, script_path=os.path.join(SOURCE_DIR, "scripts", f"{name}.lua"),
                     timeout=timeout)


def series_by_tag(result, metric, tag):
    """{tag value: samples} over the series of a metric."""
    counts = {}
    for series in result["metrics"][metric]["series"]:
        value = series["tags"].get(tag)
        if value is not None:
            values = series["values"]
            counts[value] = counts.get(value, 0) + values.get("count", values.get("passes", 0) + values.get("fails", 0))
    return counts


def checks_by_name(result):
    totals = {}
    for check in result["checks"]:
        passes, fails = totals.get(check["name"], (0, 0))
        totals[check["name"]] = (passes + check["passes"], fails + check["fails"])
    return totals


class MockCase(unittest.TestCase):
    def start_mock(self, *args):
        mock = start_mock(*args)
        self.addCleanup(lambda: self.assertEqual(mock.stop(), 0))
        return mock

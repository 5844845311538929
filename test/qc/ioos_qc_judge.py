"""Loads QC config files with ioos_qc itself and runs them on made-up data.

Usage: python ioos_qc_judge.py FILE.yaml...  (needs ioos_qc importable; see test/qc/ioos-qc-run.test.ts)

A file fails when ioos_qc logs anything at WARNING or above while loading or running it (an unknown
package or test, an unparsable region, a test that raised), when a call would lose a parameter
(ioos_qc drops every keyword the test function does not take), or when a call lacks a required one.
Prints one JSON line per file.
"""

import inspect
import json
import logging
import sys

import numpy as np
import pandas as pd

from ioos_qc.config import Config
from ioos_qc.streams import PandasStream

RUNTIME = {"inp", "tinp", "zinp", "lat", "lon"}


class Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages = []

    def emit(self, record):
        self.messages.append(record.getMessage())


def frame(streams):
    # Two years around the example windows, so that no window is empty.
    times = pd.date_range("2019-07-01", "2021-07-01", freq="6h")
    rng = np.random.default_rng(0)
    data = {
        "time": times,
        "lat": np.full(len(times), 42.5),
        "lon": np.full(len(times), -70.5),
        "z": np.linspace(1, 100, len(times)),
    }
    for name in streams:
        data[name] = 10 + rng.normal(0, 1, len(times))
    return pd.DataFrame(data)


def judge(path):
    handler = Collect()
    root = logging.getLogger()
    root.addHandler(handler)
    problems = []
    try:
        config = Config(path)
        streams = sorted({call.stream_id for call in config.calls})
        for call in config.calls:
            accepted = {
                p.name
                for p in inspect.signature(call.func).parameters.values()
                if p.kind == p.POSITIONAL_OR_KEYWORD
            }
            dropped = sorted(set(call.kwargs) - accepted)
            if dropped:
                problems.append(f"{call.stream_id} {call.method}: ioos_qc would drop {dropped}")
            required = {
                p.name
                for p in inspect.signature(call.func).parameters.values()
                if p.default is p.empty and p.name not in RUNTIME and p.name != "results"
            }
            missing = sorted(required - set(call.kwargs))
            if missing:
                problems.append(f"{call.stream_id} {call.method}: missing {missing}")
        stream = PandasStream(frame(streams), time="time", z="z", lat="lat", lon="lon")
        results = list(stream.run(config))
        ran = len(results)
    except Exception as error:  # noqa: BLE001 - any failure is the verdict
        problems.append(f"{type(error).__name__}: {error}")
        ran = 0
    finally:
        root.removeHandler(handler)
    # aggregate is accepted with a warning in the catalog (it does nothing since ioos_qc 2.0, and
    # each run logs that it could not run it): known, not a verdict.
    # So is an optional extra missing from the judging environment (location_test needs gsw).
    known = [m for m in handler.messages if "qartod.aggregate" in m or "missing from the current environment" in m]
    problems.extend(m for m in handler.messages if m not in known)
    return {"file": path, "ok": not problems, "results": ran, "problems": problems, "known": known}


if __name__ == "__main__":
    for file in sys.argv[1:]:
        print(json.dumps(judge(file)))

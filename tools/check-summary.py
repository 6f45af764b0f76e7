#!/usr/bin/python3
"""Prints the final line of tools/check: "N passed, N failed[, N skipped]".

Usage: check-summary.py TESTLOG.json [EXTRA_RESULTS]

TESTLOG.json is meson's log (one JSON object per test); each meson test
counts once. EXTRA_RESULTS (optional, e.g. the fuzz runs) has one result
per line: "OK name", "FAIL name detail" or "SKIP name reason".

A skipped test's reason is shown: for TAP tests the text after "# SKIP" (a
"1..0 # SKIP reason" plan or skipped subtests), otherwise the last line it
printed (exit status 77). Failures are listed by name. Exit status 1 when
anything failed, 0 otherwise.
"""
import json
import os
import re
import sys

SKIP_RE = re.compile(r"#\s*SKIP\S*\s*(.*)$", re.I | re.M)
OK_RESULTS = ("OK", "EXPECTEDFAIL")


def skip_reason(stdout):
    found = [m.group(1).strip() for m in SKIP_RE.finditer(stdout or "") if m.group(1).strip()]
    if found:
        return found[-1]
    lines = [ln.strip() for ln in (stdout or "").splitlines() if ln.strip()]
    return lines[-1] if lines else "no reason given"


def meson_results(path):
    if not os.path.exists(path):
        print(f"FAIL meson test: no test log at {path} (did meson test run?)")
        yield "FAIL", "meson test", ""
        return
    with open(path) as f:
        for line in f:
            if not line.strip():
                continue
            t = json.loads(line)
            res = t.get("result")
            if res in OK_RESULTS:
                yield "OK", t["name"], ""
            elif res == "SKIP":
                yield "SKIP", t["name"], skip_reason(t.get("stdout"))
            else:
                yield "FAIL", t["name"], res or "no result"


def extra_results(path):
    if not path or not os.path.exists(path):
        return
    with open(path) as f:
        for line in f:
            parts = line.rstrip("\n").split(" ", 2)
            if len(parts) >= 2:
                yield parts[0], parts[1], parts[2] if len(parts) > 2 else ""


def main(argv):
    if len(argv) < 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    counts = {"OK": 0, "FAIL": 0, "SKIP": 0}
    for source in (meson_results(argv[1]), extra_results(argv[2] if len(argv) > 2 else None)):
        for res, name, detail in source:
            res = res if res in counts else "FAIL"
            counts[res] += 1
            if res == "SKIP":
                print(f"SKIP {name}: {detail}")
            elif res == "FAIL":
                print(f"FAIL {name}" + (f" ({detail})" if detail else ""))
    summary = f"{counts['OK']} passed, {counts['FAIL']} failed"
    if counts["SKIP"]:
        summary += f", {counts['SKIP']} skipped"
    print(summary)
    return 1 if counts["FAIL"] else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

#!/usr/bin/python3
"""Prints the final line of tools/check from meson's test log.

Each meson test counts once; a test that exits 77 is a skip and its reason
(the last line it printed) is shown. Exit status 1 when anything failed."""
import json
import sys

passed = failed = skipped = 0
with open(sys.argv[1]) as f:
    for line in f:
        t = json.loads(line)
        res = t.get("result")
        if res in ("OK", "EXPECTEDFAIL"):
            passed += 1
        elif res == "SKIP":
            skipped += 1
            out = (t.get("stdout") or "").strip().splitlines()
            reason = out[-1] if out else "no reason given"
            print(f"SKIP {t['name']}: {reason}")
        else:
            failed += 1
            print(f"FAIL {t['name']} ({res})")
summary = f"{passed} passed, {failed} failed"
if skipped:
    summary += f", {skipped} skipped"
print(summary)
sys.exit(1 if failed else 0)

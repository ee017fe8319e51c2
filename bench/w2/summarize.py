#!/usr/bin/env python3
"""Markdown table of the hyperfine JSON files bench/w2/run.sh writes: median,
min-max, and each command's ratio to the first command of its file (the floor)."""
import json, os, sys

res = sys.argv[1]
names = [("sqlite_up", "SQLite: apply all"), ("sqlite_down", "SQLite: revert all"), ("sqlite_noop", "SQLite: no-op"),
         ("pg_up", "PostgreSQL: apply all"), ("pg_down", "PostgreSQL: revert all"), ("pg_noop", "PostgreSQL: no-op")]
print("| workload | command | median | min–max | ratio to the first row |")
print("|---|---|---:|---|---:|")
for f, label in names:
    p = os.path.join(res, f + ".json")
    if not os.path.exists(p):
        continue
    rs = json.load(open(p))["results"]
    base = rs[0]["median"]
    for r in rs:
        fmt = (lambda s: f"{s*1000:.1f} ms") if r["median"] < 1 else (lambda s: f"{s:.3f} s")
        print(f"| {label} | {r['command']} | {fmt(r['median'])} | {fmt(r['min'])}–{fmt(r['max'])} | {r['median']/base:.2f}× |")
for f in ("sqlite_rss.txt", "pg_rss.txt"):
    p = os.path.join(res, f)
    if os.path.exists(p):
        print("\n" + open(p).read().strip())

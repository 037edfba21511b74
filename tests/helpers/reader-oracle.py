#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# reader-oracle.py: compares `pfold dump` output with oracles (perf report -D/--stats, perf script, quipper pb_text).
"""usage:
  reader-oracle.py stats PERF_REPORT_STATS PFOLD_STATS     counts per record type equal
  reader-oracle.py rawd PERF_REPORT_D PFOLD_DUMP_UNORDERED  samples (pid tid time ip period cpu chain) in file order
  reader-oracle.py script PERF_SCRIPT PFOLD_DUMP            samples in delivery (time) order: pid tid [cpu] time period ip
  reader-oracle.py pb PB_TEXT PFOLD_DUMP N                  first N samples' fields equal quipper's dump; counts equal
Exit 0 when equal; else prints the first differences and exits 1."""
import re
import sys


def fail(msg):
    print(msg)
    sys.exit(1)


def dump_samples(path):
    """sample dicts from `pfold dump` lines"""
    out = []
    with open(path, errors="replace") as f:
        for line in f:
            if " type=SAMPLE " not in line:
                continue
            d = {}
            for k in ("ip", "pid", "tid", "time", "period", "cpu", "id", "raw_size", "addr"):
                m = re.search(r" %s=(\S+)" % k, line)
                if m:
                    d[k] = int(m.group(1), 0)
            m = re.search(r" callchain=\[([^\]]*)\]", line)
            if m:
                d["callchain"] = [int(x, 16) for x in m.group(1).split(",") if x]
            m = re.search(r" branch_stack=\{nr=(\d+)", line)
            if m:
                d["branches"] = [(int(a, 16), int(b, 16), int(mp), int(p), int(c))
                                 for a, b, mp, p, c in re.findall(
                                     r"\[from=(\S+) to=(\S+) mispred=(\d) predicted=(\d) in_tx=\d abort=\d cycles=(\d+)", line)]
            m = re.search(r" read=\{nr=(\d+)[^\[]*(.*?)\}", line)
            if m:
                d["read"] = [(int(i), int(v)) for i, v in re.findall(r"\[id=(\d+) value=(\d+)", m.group(2))]
            out.append(d)
    return out


def cmd_stats(perf_path, pfold_path):
    def parse(path, skip_after=None):
        counts = {}
        with open(path) as f:
            for line in f:
                if skip_after and skip_after(line):
                    break
                m = re.match(r"\s*(\w+) events:\s+(\d+)", line)
                if m and m.group(1) not in counts:
                    counts[m.group(1)] = int(m.group(2))
        return counts
    # perf prints the aggregated block first, then one block per event
    perf = parse(perf_path, lambda l: re.search(r"^\S.* stats:$", l) and "Aggregated" not in l)
    ours = parse(pfold_path)
    if perf != ours:
        fail("perf --stats: %s\npfold --stats: %s" % (sorted(perf.items()), sorted(ours.items())))
    if not perf.get("SAMPLE"):
        fail("no samples counted")
    print("ok: %d types, %d samples" % (len(perf), perf["SAMPLE"]))


def cmd_rawd(perf_path, pfold_path):
    perf = []
    cur = None
    head = re.compile(r"^(?:(\d+) )?(\d+) 0x[0-9a-f]+ \[0x[0-9a-f]+\]: PERF_RECORD_SAMPLE\([^)]*\): "
                      r"(-?\d+)/(-?\d+): 0x([0-9a-f]+) period: (\d+) addr: ([0-9a-f]+)")
    with open(perf_path, errors="replace") as f:
        for line in f:
            m = head.match(line)
            if m:
                cur = {"pid": int(m.group(3)), "tid": int(m.group(4)), "time": int(m.group(2)),
                       "ip": int(m.group(5), 16), "period": int(m.group(6))}
                if m.group(1) is not None:
                    cur["cpu"] = int(m.group(1))
                perf.append(cur)
                continue
            if cur is not None and line.startswith("... FP chain: nr:"):
                cur["callchain"] = []
                continue
            m = re.match(r"^\.\.\.\.\. id ([0-9a-f]+), value ([0-9a-f]+)", line)
            if cur is not None and m:
                cur.setdefault("read", []).append((int(m.group(1), 16), int(m.group(2), 16)))
                continue
            m = re.match(r"^\.\.\.\.\.\s+\d+: ([0-9a-f]+)$", line)
            if cur is not None and m and "callchain" in cur:
                cur["callchain"].append(int(m.group(1), 16))
                continue
            if not line.startswith("."):
                if line.strip() == "" or "PERF_RECORD" in line:
                    cur = None if "PERF_RECORD_SAMPLE" not in line else cur
    ours = dump_samples(pfold_path)
    compare(perf, ours, "perf report -D")


def compare(theirs, ours, what, n=None):
    if n is None and len(theirs) != len(ours):
        fail("%s has %d samples, pfold %d" % (what, len(theirs), len(ours)))
    bad = 0
    for i, t in enumerate(theirs[:n] if n else theirs):
        if i >= len(ours):
            fail("pfold has only %d samples" % len(ours))
        o = ours[i]
        for k, v in t.items():
            ov = o.get(k)
            if k == "pid" or k == "tid":
                ov = ov if ov is None or ov < 2**31 else ov - 2**32
                v = v if v < 2**31 else v - 2**32
            if k == "callchain" and what == "pb_text" and isinstance(v, list) and \
                    isinstance(ov, list) and len(v) == len(ov):
                # quipper flips bit 63 of callchain addresses that fall in
                # no mapping; pfold gives them as the kernel wrote them
                v = [y if x == (y ^ (1 << 63)) else x for x, y in zip(v, ov)]
            if ov != v:
                if isinstance(v, list) and isinstance(ov, list):
                    j = next((j for j in range(min(len(v), len(ov))) if v[j] != ov[j]), min(len(v), len(ov)))
                    print("sample %d: %s: %s has %d entries, pfold %d; first difference at %d: %r vs %r" %
                          (i, k, what, len(v), len(ov), j, v[j:j + 1], ov[j:j + 1]))
                else:
                    print("sample %d: %s: %s says %r, pfold %r" % (i, k, what, v, ov))
                bad += 1
                break
        if bad >= 5:
            break
    if bad:
        sys.exit(1)
    print("ok: %d samples compared with %s" % (min(len(theirs), n or len(theirs)), what))


def cmd_script(perf_path, pfold_path):
    theirs = []
    pat = re.compile(r"^\s*(-?\d+)/(-?\d+)\s+(?:\[(\d+)\]\s+)?(\d+)\.(\d{9}):\s+(\d+)\s+([0-9a-f]+)\s*$")
    with open(perf_path) as f:
        for line in f:
            m = pat.match(line)
            if not m:
                fail("cannot parse perf script line: %r" % line)
            d = {"pid": int(m.group(1)), "tid": int(m.group(2)),
                 "time": int(m.group(4)) * 10**9 + int(m.group(5)),
                 "period": int(m.group(6)), "ip": int(m.group(7), 16)}
            if m.group(3) is not None:
                d["cpu"] = int(m.group(3))
            theirs.append(d)
    compare(theirs, dump_samples(pfold_path), "perf script")


def cmd_pb(pb_path, pfold_path, n):
    theirs = []
    cur = None
    br = None
    with open(pb_path) as f:
        for line in f:
            if line == "  sample_event {\n":
                cur = {}
                theirs.append(cur)
                continue
            if cur is None:
                continue
            if line == "  }\n":
                cur = None
                continue
            s = line.strip()
            if s == "branch_stack {":
                br = {}
                continue
            if br is not None:
                if s == "}":
                    cur.setdefault("branches", []).append(
                        (br.get("from_ip", 0), br.get("to_ip", 0), br.get("mispredicted", 0),
                         br.get("predicted", 0), br.get("cycles", 0)))
                    br = None
                else:
                    k, v = s.split(": ", 1)
                    br[k] = {"true": 1, "false": 0}.get(v, None)
                    if br[k] is None:
                        br[k] = int(v)
                continue
            if line.startswith("    ") and not line.startswith("     ") and ": " in s:
                k, v = s.split(": ", 1)
                key = {"sample_time_ns": "time"}.get(k, k)
                if key == "callchain":
                    cur.setdefault("callchain", []).append(int(v))
                elif key in ("ip", "pid", "tid", "time", "period", "cpu", "id", "raw_size"):
                    cur[key] = int(v)
    ours = dump_samples(pfold_path)
    if len(theirs) != len(ours):
        fail("pb_text has %d samples, pfold %d" % (len(theirs), len(ours)))
    compare(theirs, ours, "pb_text", n)


def main():
    a = sys.argv[1:]
    if len(a) == 3 and a[0] == "stats":
        cmd_stats(a[1], a[2])
    elif len(a) == 3 and a[0] == "rawd":
        cmd_rawd(a[1], a[2])
    elif len(a) == 3 and a[0] == "script":
        cmd_script(a[1], a[2])
    elif len(a) == 4 and a[0] == "pb":
        cmd_pb(a[1], a[2], int(a[3]))
    else:
        print(__doc__)
        sys.exit(2)


if __name__ == "__main__":
    main()

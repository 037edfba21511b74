#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# reader-mutate.py: damaged copies of a perf.data file for the reader's bad-input tests.
"""usage:
  reader-mutate.py IN OUT flip SEED N        N random bytes replaced (seeded)
  reader-mutate.py IN OUT set OFFSET FMT V   struct-pack V with FMT ('<Q', '<H'...) at OFFSET
  reader-mutate.py IN OUT pipe-drop TYPE      a pipe file (either byte order) without its records of TYPE
  reader-mutate.py IN trunc PREFIX N         PREFIX.0 ... PREFIX.N-1: cut at N points spread over the file
  reader-mutate.py IN flips PREFIX N BYTES   PREFIX.1 ... PREFIX.N: BYTES random bytes replaced (seed = number)"""
import random
import struct
import sys


def main():
    a = sys.argv[1:]
    data = bytearray(open(a[0], "rb").read())
    if a[1] == "trunc":
        n = int(a[3])
        for i in range(n):
            open("%s.%d" % (a[2], i), "wb").write(bytes(data[:i * len(data) // n]))
        return
    if a[1] == "flips":
        for seed in range(1, int(a[3]) + 1):
            rng = random.Random(seed)
            d = bytearray(data)
            for _ in range(int(a[4])):
                d[rng.randrange(len(d))] = rng.randrange(256)
            open("%s.%d" % (a[2], seed), "wb").write(bytes(d))
        return
    out, op = a[1], a[2]
    if op == "flip":
        rng = random.Random(int(a[3]))
        for _ in range(int(a[4])):
            data[rng.randrange(len(data))] = rng.randrange(256)
    elif op == "set":
        off, fmt, v = int(a[3], 0), a[4], int(a[5], 0)
        data[off:off + struct.calcsize(fmt)] = struct.pack(fmt, v)
    elif op == "pipe-drop":
        pos, kept = 16, data[:16]
        order = "<" if data[:8] == b"PERFILE2" else ">"
        while pos + 8 <= len(data):
            t, _, size = struct.unpack_from(order + "IHH", data, pos)
            if size < 8:
                break
            if t != int(a[3]):
                kept += data[pos:pos + size]
            pos += size
        data = kept
    else:
        print(__doc__)
        sys.exit(2)
    open(out, "wb").write(bytes(data))


if __name__ == "__main__":
    main()

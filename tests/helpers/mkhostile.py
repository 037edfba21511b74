#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# mkhostile.py: pipe-mode perf.data streams that push pfold's limits (zstd bomb, deep callchain, huge payload) for t2950.
"""usage:
  mkhostile.py bomb ZSTD_FILE OUT     one COMPRESSED2 record carrying ZSTD_FILE (a zstd
                                      frame that inflates to far more than the limit)
  mkhostile.py deep N OUT             an attr and 3 samples with N-entry callchains
                                      (N <= 8000: a record is at most 64 KiB)
  mkhostile.py payload OUT            a TRACING_DATA record announcing a 4 GiB payload"""
import struct
import sys

PIPE_HEADER = b"PERFILE2" + struct.pack("<Q", 16)


def rec(rtype, body, misc=0):
    assert 8 + len(body) <= 0xffff
    return struct.pack("<IHH", rtype, misc, 8 + len(body)) + body


def attr_record(sample_type, ident):
    # perf_event_attr, PERF_ATTR_SIZE_VER5 (112 bytes): software cpu-clock
    attr = struct.pack("<IIQQQQQIIQQQQIiQIHH",
                       1, 112, 0, 4000, sample_type, 0,
                       (1 << 18),            # flags: sample_id_all
                       0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    assert len(attr) == 112
    return rec(64, attr + struct.pack("<Q", ident))   # PERF_RECORD_HEADER_ATTR


def main():
    a = sys.argv[1:]
    if a[0] == "bomb":
        z = open(a[1], "rb").read()
        body = struct.pack("<Q", len(z)) + z
        body += b"\0" * (-len(body) % 8)
        data = PIPE_HEADER + rec(83, body)            # PERF_RECORD_COMPRESSED2
        out = a[2]
    elif a[0] == "deep":
        n = int(a[1])
        st = 0x1 | 0x2 | 0x4 | 0x100 | 0x20          # IP TID TIME PERIOD CALLCHAIN
        data = PIPE_HEADER + attr_record(st, 7)
        comm = struct.pack("<II", 42, 42) + b"deep\0\0\0\0" + struct.pack("<IIQ", 42, 42, 1)
        data += rec(3, comm)                          # PERF_RECORD_COMM (no sample_id)
        for s in range(3):
            ips = [0xfffffffffffffe00] + [0x400000 + 16 * ((i + s) % 50) for i in range(n - 1)]
            body = struct.pack("<QIIQQQ", 0x400000, 42, 42, 1000 + s, 1, len(ips))
            body += struct.pack("<%dQ" % len(ips), *ips)
            data += rec(9, body, misc=2)               # PERF_RECORD_SAMPLE, user
        out = a[2]
    elif a[0] == "payload":
        body = struct.pack("<II", 0xfffffff8, 0)       # u32 size, u32 pad: ~4 GiB
        data = PIPE_HEADER + rec(66, body)            # PERF_RECORD_HEADER_TRACING_DATA
        out = a[1]
    else:
        print(__doc__)
        sys.exit(2)
    open(out, "wb").write(data)


main()

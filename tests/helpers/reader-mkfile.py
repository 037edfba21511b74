#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# reader-mkfile.py: small perf.data files written field by field (either byte order, file or pipe mode) for reader tests.
"""usage: reader-mkfile.py OUT [--big-endian] [--pipe]

Writes a perf.data with one cpu-clock attr (sample_type IP|TID|TIME|CPU|PERIOD|
CALLCHAIN, sample_id_all), a COMM, an MMAP2, three samples out of time order
inside one round, a FINISHED_ROUND and the HOSTNAME/NRCPUS features, and prints
on stdout the dump lines pfold must give for the samples, worked out here."""
import struct
import sys

SAMPLE_TYPE = 0x1 | 0x2 | 0x4 | 0x80 | 0x100 | 0x20   # IP TID TIME CPU PERIOD CALLCHAIN


def main():
    args = sys.argv[1:]
    if not args:
        print(__doc__)
        sys.exit(2)
    out = args[0]
    e = ">" if "--big-endian" in args else "<"
    pipe = "--pipe" in args

    def rec(rtype, misc, body):
        return struct.pack(e + "IHH", rtype, misc, 8 + len(body)) + body

    def trailer(pid, tid, time, cpu):
        return struct.pack(e + "IIQII", pid, tid, time, cpu, 0)

    # perf_event_attr, 112 bytes (VER5)
    flags = (1 << 0) | (1 << 1) | (1 << 8) | (1 << 9) | (1 << 10) | (1 << 18) | (1 << 23)  # disabled inherit mmap comm freq sample_id_all mmap2
    if e == ">":
        # bitfields start at the most significant bit on big-endian machines
        flags = int("{:064b}".format(flags)[::-1], 2)
    attr = struct.pack(e + "IIQQQQQIIQQQQIiQIHH", 1, 112, 0, 4000, SAMPLE_TYPE, 0, flags,
                       0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    assert len(attr) == 112, len(attr)
    ids = [101, 102]

    samples = [  # (ip, pid, tid, time, cpu, period, callchain)
        (0x401234, 42, 43, 3000, 1, 250000, [0xfffffffffffffe00, 0x401234, 0x401100]),
        (0x401250, 42, 43, 1000, 0, 250000, [0xfffffffffffffe00, 0x401250]),
        (0xffffffff81000010, 42, 42, 2000, 1, 125000, [0xffffffffffffff80, 0xffffffff81000010,
                                                       0xfffffffffffffe00, 0x401000]),
    ]
    data = b""
    data += rec(3, 0, struct.pack(e + "II", 42, 42) + b"demo\0\0\0\0" + trailer(42, 42, 500, 0))
    fname = b"/usr/bin/demo\0\0\0"
    data += rec(10, 2, struct.pack(e + "IIQQQIIQQII", 42, 42, 0x400000, 0x10000, 0, 8, 1, 1234, 0, 5, 2)
                + fname + trailer(42, 42, 600, 0))
    for ip, pid, tid, time, cpu, period, cc in samples:
        body = struct.pack(e + "QIIQIIQQ", ip, pid, tid, time, cpu, 0, period, len(cc))
        body += b"".join(struct.pack(e + "Q", x) for x in cc)
        data += rec(9, 2 if ip < 2**63 else 1, body)
    data += rec(68, 0, b"")

    def string(s):
        b = s.encode() + b"\0"
        n = (len(b) + 63) // 64 * 64
        return struct.pack(e + "I", n) + b.ljust(n, b"\0")

    feats = [(3, string("synthetic-host")), (7, struct.pack(e + "II", 4, 2))]

    if pipe:
        blob = struct.pack(e + "QQ", 0x32454c4946524550, 16)
        blob += rec(64, 0, attr + b"".join(struct.pack(e + "Q", i) for i in ids))
        for fid, payload in feats:
            blob += rec(80, 0, struct.pack(e + "Q", fid) + payload)
        blob += data
    else:
        hdr_size = 104
        attrs_off = hdr_size
        attr_size = len(attr) + 16
        ids_off = attrs_off + attr_size
        data_off = ids_off + 8 * len(ids)
        feat_table = data_off + len(data)
        sec_off = feat_table + 16 * len(feats)
        table = b""
        secs = b""
        for fid, payload in feats:
            table += struct.pack(e + "QQ", sec_off + len(secs), len(payload))
            secs += payload
        bitmap = 0
        for fid, _ in feats:
            bitmap |= 1 << fid
        blob = struct.pack(e + "QQQQQQQQQQQQQ", 0x32454c4946524550, hdr_size, attr_size,
                           attrs_off, attr_size, data_off, len(data), 0, 0,
                           bitmap, 0, 0, 0)
        blob += attr + struct.pack(e + "QQ", ids_off, 8 * len(ids))
        blob += b"".join(struct.pack(e + "Q", i) for i in ids)
        blob += data + table + secs
    with open(out, "wb") as f:
        f.write(blob)
    # what pfold dump must print for the samples, in time order
    for ip, pid, tid, time, cpu, period, cc in sorted(samples, key=lambda s: s[3]):
        print("event=cpu-clock ip=0x%x pid=%d tid=%d time=%d cpu=%d period=%d callchain=[%s]" %
              (ip, pid, tid, time, cpu, period, ",".join("0x%x" % x for x in cc)))


if __name__ == "__main__":
    main()

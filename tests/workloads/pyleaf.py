# SPDX-License-Identifier: MIT
# pyleaf.py: main -> hot (3 units) | cold (1 unit) -> leaf -> zlib.compress (a native leaf).
import sys, zlib
DATA = bytes(range(256)) * 256

def leaf(n):
    t = 0
    for _ in range(n):
        t += len(zlib.compress(DATA, 6))
    return t

def hot(n):
    return leaf(3 * n)

def cold(n):
    return leaf(n)

def main():
    s = 0
    for _ in range(int(sys.argv[1])):
        s += hot(4) + cold(4)
    return s

main()

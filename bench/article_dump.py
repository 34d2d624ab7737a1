#!/usr/bin/env python3
"""The peer for bench/parse.sh: the article's way of showing a message,
`for k, v in enumerate(data.split("\r\n")): print(k, v)`, applied line by line to a
whole stream (streaming, so it is not penalised for memory)."""
import sys

out = sys.stdout.buffer
for k, line in enumerate(open(sys.argv[1], "rb")):
    out.write(b"%d %s" % (k, line))

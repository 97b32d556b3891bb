#!/usr/bin/env python3
"""check_streams.py LOG... - agreed order across the memb_stream logs of one cluster test.

Each log holds "D NODEID:PID COUNTER" deliveries and "C ..." group changes in arrival order.
Checks: no message delivered twice by one client; any two clients deliver the messages they
both delivered in the same relative order; after each client's last group change that shows
streams on all three nodes (the heal), the deliveries of all clients agree (one is a prefix
of the other) and are not empty. With --no-gaps: no sender's message is missing in any log
(for runs without a membership change).
Exit 0 when all hold, 1 with the first violation printed."""
import sys


def load(path):
    seq, tail = [], []
    with open(path) as f:
        for line in f:
            parts = line.split()
            if not parts:
                continue
            if parts[0] == "D":
                seq.append((parts[1], int(parts[2])))
                tail.append(seq[-1])
            elif parts[0] == "C" and sorted(parts[1:]) == sorted(set(parts[1:])) and len(set(parts[1:])) == 3:
                tail = []   # all three nodes' streams in the group (later leaves are ignored)
    return seq, tail


def main():
    logs = {p: load(p) for p in sys.argv[1:]}
    for p, (seq, _) in logs.items():
        if len(set(seq)) != len(seq):
            print(f"{p}: a message delivered twice")
            return 1
        if not seq:
            print(f"{p}: nothing delivered")
            return 1
    names = list(logs)
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            sa, sb = logs[a][0], logs[b][0]
            common = set(sa) & set(sb)
            ra = [m for m in sa if m in common]
            rb = [m for m in sb if m in common]
            if ra != rb:
                k = next(k for k in range(len(ra)) if ra[k] != rb[k])
                print(f"{a} and {b} disagree on the order at common delivery {k}: {ra[k]} vs {rb[k]}")
                return 1
    print("streams: " + ", ".join(f"{p.split('/')[-1]} {len(s)} msgs" for p, (s, _) in logs.items()))
    return 0


def final(paths):
    tails = [load(p)[1] for p in paths]
    for p, t in zip(paths, tails):
        if len(t) < 5:
            print(f"{p}: only {len(t)} deliveries after the last configuration")
            return 1
    for i in range(len(tails)):
        for j in range(i + 1, len(tails)):
            n = min(len(tails[i]), len(tails[j]))
            if tails[i][:n] != tails[j][:n]:
                print(f"{paths[i]} and {paths[j]} differ in the final configuration")
                return 1
    return 0


def no_gaps(paths):
    """Without a membership change nothing may be lost: in every log, each sender's counters
    follow each other with no gap (the first one seen may be any: the client joined late)."""
    for p in paths:
        last = {}
        for sender, counter in load(p)[0]:
            if sender in last and counter != last[sender] + 1:
                print(f"{p}: {sender}: message {last[sender] + 1} missing (next was {counter})")
                return 1
            last[sender] = counter
    return 0


if __name__ == "__main__":
    if sys.argv[1] == "--no-gaps":
        sys.exit(no_gaps(sys.argv[2:]))
    if sys.argv[1] == "--final":
        sys.exit(final(sys.argv[2:]))
    sys.exit(main())

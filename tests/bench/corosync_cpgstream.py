#!/usr/bin/env python3
"""corosync_cpgstream.py GROUP OUTFILE INTERVAL_MS - the corosync twin of
tests/cluster/memb_stream.c for the benchmarks: joins a CPG group through Debian's libcpg.so.4
(ctypes: the headers, libcpg-dev, are not needed), sends "NODEID:PID COUNTER" every INTERVAL ms
(agreed order) and appends "D NODEID:PID COUNTER MONO_MS" for every delivery to OUTFILE. Stops on
SIGTERM."""
import ctypes
import os
import select
import signal
import sys
import time

CS_OK = 1
CPG_TYPE_AGREED = 1
CS_DISPATCH_ALL = 2


class CpgName(ctypes.Structure):
    _fields_ = [("length", ctypes.c_uint32), ("value", ctypes.c_char * 128)]


class Iovec(ctypes.Structure):
    _fields_ = [("base", ctypes.c_void_p), ("len", ctypes.c_size_t)]


DELIVER = ctypes.CFUNCTYPE(None, ctypes.c_uint64, ctypes.POINTER(CpgName), ctypes.c_uint32,
                           ctypes.c_uint32, ctypes.c_void_p, ctypes.c_size_t)
CONFCHG = ctypes.CFUNCTYPE(None, ctypes.c_uint64, ctypes.POINTER(CpgName), ctypes.c_void_p,
                           ctypes.c_size_t, ctypes.c_void_p, ctypes.c_size_t, ctypes.c_void_p,
                           ctypes.c_size_t)


class Callbacks(ctypes.Structure):
    _fields_ = [("deliver", DELIVER), ("confchg", CONFCHG)]


def main():
    if len(sys.argv) != 4:
        print(__doc__, file=sys.stderr)
        return 64
    group, path, interval = sys.argv[1].encode(), sys.argv[2], int(sys.argv[3]) / 1000.0
    lib = ctypes.CDLL("libcpg.so.4")
    out = open(path, "a", buffering=1)
    stop = []
    signal.signal(signal.SIGTERM, lambda *a: stop.append(1))

    def on_deliver(handle, name, nodeid, pid, msg, length):
        text = ctypes.string_at(msg, length).decode(errors="replace")
        out.write(f"D {text} {int(time.monotonic() * 1000)}\n")

    def on_confchg(*args):
        pass

    cbs = Callbacks(DELIVER(on_deliver), CONFCHG(on_confchg))
    handle = ctypes.c_uint64()
    for _ in range(100):
        if lib.cpg_initialize(ctypes.byref(handle), ctypes.byref(cbs)) == CS_OK:
            break
        time.sleep(0.1)
    else:
        print("cpg_initialize failed", file=sys.stderr)
        return 1
    name = CpgName(len(group), group)
    if lib.cpg_join(handle, ctypes.byref(name)) != CS_OK:
        print("cpg_join failed", file=sys.stderr)
        return 1
    nodeid = ctypes.c_uint32()
    lib.cpg_local_get(handle, ctypes.byref(nodeid))
    fd = ctypes.c_int()
    lib.cpg_fd_get(handle, ctypes.byref(fd))
    counter, nxt = 0, time.monotonic()
    while not stop:
        now = time.monotonic()
        if now >= nxt:
            msg = f"{nodeid.value}:{os.getpid()} {counter + 1}".encode()
            buf = ctypes.create_string_buffer(msg, len(msg))
            iov = Iovec(ctypes.cast(buf, ctypes.c_void_p), len(msg))
            if lib.cpg_mcast_joined(handle, CPG_TYPE_AGREED, ctypes.byref(iov), 1) == CS_OK:
                counter += 1
            nxt += interval
            if nxt < now:
                nxt = now + interval
        try:
            r, _, _ = select.select([fd.value], [], [], max(0.0, nxt - time.monotonic()))
        except InterruptedError:
            continue
        if r and lib.cpg_dispatch(handle, CS_DISPATCH_ALL) != CS_OK:
            break
    lib.cpg_finalize(handle)
    return 0


if __name__ == "__main__":
    sys.exit(main())

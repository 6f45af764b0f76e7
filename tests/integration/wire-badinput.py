#!/usr/bin/python3
"""Bad input on vireo-proxyd's socket never takes the daemon down: short and
oversized length words, garbage, truncated frames, hundreds of connections
opened and dropped, a client that sends but never reads, bad frames on the
admin socket and bogus hand-offs. After each, the daemon still serves."""
import importlib.util
import os
import random
import socket
import struct
import time

_spec = importlib.util.spec_from_file_location(
    "harness", os.path.join(os.path.dirname(os.path.abspath(__file__)), "daemon-harness.py"))
h = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(h)

h.require_virsh()
h.require_binaries("proxyd")
t = h.Tap()


def serves(root):
    st, out, _ = h.virsh(root.uri(), "domstate test")
    return st == 0 and out.startswith("running")


def closed_without_reply(s, timeout=10):
    s.settimeout(timeout)
    try:
        return s.recv(1) == b""
    except (ConnectionResetError, BrokenPipeError):
        return True
    except socket.timeout:
        return False


with h.Root() as root:
    d = root.start("proxyd")
    path = root.sock("proxyd")

    s = h.raw_connect(path)
    s.sendall(struct.pack(">I", 10) + b"\0" * 24)
    t.ok(closed_without_reply(s), "length word below 28: dropped without reply")
    s.close()

    s = h.raw_connect(path)
    s.sendall(struct.pack(">I", 33554432 + 5) + b"\0" * 24)
    t.ok(closed_without_reply(s), "length word above 32 MiB + 4: dropped without reply")
    s.close()

    rng = random.Random(1234)
    s = h.raw_connect(path)
    try:
        s.sendall(bytes(rng.getrandbits(8) for _ in range(4096)))
    except (BrokenPipeError, ConnectionResetError):
        pass
    s.close()
    t.ok(d.alive() and serves(root), "garbage: daemon serves")

    # A frame announced but never completed, then the client leaves.
    s = h.raw_connect(path)
    s.sendall(struct.pack(">I", 1000) + b"\0" * 100)
    s.close()
    # Undecodable arguments for CONNECT_OPEN.
    s = h.raw_connect(path)
    s.sendall(h.frame(1, 1, b"\xff\xff\xff\xff"))
    reply = h.read_frame(s)
    t.ok(reply is not None and reply[0][5] == 1, "undecodable CONNECT_OPEN: error reply",
         reply)
    s.close()
    t.ok(d.alive() and serves(root), "truncated and undecodable frames: daemon serves")

    socks = []
    for i in range(300):
        c = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        c.connect(path)
        if i % 3 == 0:
            c.sendall(h.frame(66, 0))
        socks.append(c)
        if len(socks) >= 50:
            for c in socks:
                c.close()
            socks = []
    for c in socks:
        c.close()
    t.ok(d.alive() and serves(root), "300 connections opened and dropped: daemon serves")

    # A client that pipelines calls and never reads its replies.
    hog = h.raw_open(path)
    hog.setblocking(False)
    call = h.frame(7, 5)  # CONNECT_GET_CAPABILITIES, large replies
    sent = 0
    end = time.time() + 2
    while time.time() < end and sent < 20000:
        try:
            hog.send(call)
            sent += 1
        except BlockingIOError:
            time.sleep(0.01)
        except (BrokenPipeError, ConnectionResetError):
            break
    t.ok(d.alive() and serves(root), "client that never reads: others still served (%d calls)"
         % sent)
    hog.close()

    # The admin socket: garbage, a hand-off frame without a descriptor.
    a = h.raw_connect(root.sock("proxyd", "admin"))
    a.sendall(h.frame(1, 3, struct.pack(">I", 0) + struct.pack(">I", 0), prog=0x56495245))
    reply = h.read_frame(a)
    t.ok(reply is not None and reply[0][5] == 1, "hand-off without a descriptor: error reply",
         reply)
    a.sendall(struct.pack(">I", 7) + b"junk")
    t.ok(closed_without_reply(a), "admin socket: bad length word dropped")
    a.close()
    a = h.raw_connect(root.sock("proxyd", "admin"))
    a.sendall(h.frame(3, 9, prog=0x12345678))
    reply = h.read_frame(a)
    code = struct.unpack(">i", reply[1][:4])[0] if reply else None
    t.ok(reply is not None and code == 39, "admin socket: unknown program is an RPC error",
         reply)
    a.close()

    # Idle connections on the world-writable read-only socket past the
    # anonymous-client limit (20) do not lock other clients out.
    idle = [h.raw_connect(root.sock("proxyd", "ro")) for _ in range(40)]
    t.ok(serves(root), "40 idle read-only connections: read-write clients still served")
    for c in idle:
        c.close()

    t.ok(d.alive() and serves(root), "daemon serves after all of the above")
    t.eq(d.stop(), 0, "proxyd stops cleanly")

t.done()

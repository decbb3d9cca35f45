"""Drives a memcached-protocol server through pymemcache's Client and prints a deterministic transcript.

Usage: /usr/bin/python3 pymemcache_scenario.py HOST PORT

The C# test runs this against memcached and against our node and compares the transcripts line by line, so every
line must depend only on the server's behaviour: CAS values are renumbered in order of appearance and stats values
are reduced to their type.
"""

import hashlib
import sys
import time

import pymemcache
from pymemcache.client.base import Client


class FlagsSerde:
    """Keeps values as raw bytes and hands the item's flags back, so the transcript shows them."""

    def serialize(self, key, value):
        if isinstance(value, tuple):
            return value
        return value, 0

    def deserialize(self, key, value, flags):
        return (value, flags)


cas_numbers = {}


def cas_label(cas):
    if cas is None:
        return None
    if cas not in cas_numbers:
        cas_numbers[cas] = len(cas_numbers) + 1
    return "#%d" % cas_numbers[cas]


def show(value):
    """A stable, short rendering: long byte strings become their length and digest."""
    if isinstance(value, (bytes, bytearray)) and len(value) > 64:
        return "<%d bytes sha256=%s>" % (len(value), hashlib.sha256(value).hexdigest()[:16])
    if isinstance(value, tuple):
        return "(" + ", ".join(show(v) for v in value) + ")"
    if isinstance(value, dict):
        return "{" + ", ".join("%s: %s" % (show(k), show(value[k])) for k in sorted(value)) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(show(v) for v in value) + "]"
    return repr(value)


def step(label, action):
    try:
        result = action()
        print("%s -> %s" % (label, show(result)))
    except Exception as error:  # the exception type and server message are part of the behaviour compared
        print("%s -> raised %s: %s" % (label, type(error).__name__, error))
    sys.stdout.flush()


def stat_shape(stats):
    return ["%s=%s" % (name.decode() if isinstance(name, bytes) else name, type(value).__name__)
            for name, value in sorted(stats.items())]


def main():
    host, port = sys.argv[1], int(sys.argv[2])
    c = Client((host, port), serde=FlagsSerde(), connect_timeout=5, timeout=10, default_noreply=False)
    quiet = Client((host, port), serde=FlagsSerde(), connect_timeout=5, timeout=10, default_noreply=True)
    print("pymemcache %s" % pymemcache.__version__)

    step("flush_all", lambda: c.flush_all())

    # storage and retrieval
    step("set", lambda: c.set("k1", b"v1"))
    step("get", lambda: c.get("k1"))
    step("get missing", lambda: c.get("missing"))
    step("get missing default", lambda: c.get("missing", default=b"dflt"))
    step("set flags", lambda: c.set("kf", b"flagged", flags=123456))
    step("get flags", lambda: c.get("kf"))
    step("set_many", lambda: c.set_many({"m1": b"one", "m2": b"two", "m3": b"three"}))
    step("get_many", lambda: c.get_many(["m1", "m2", "m3", "missing", "m1"]))
    step("get_many none", lambda: c.get_many(["x1", "x2"]))
    step("add existing", lambda: c.add("k1", b"other"))
    step("add new", lambda: c.add("added", b"fresh"))
    step("get added", lambda: c.get("added"))
    step("replace missing", lambda: c.replace("nothere", b"x"))
    step("replace existing", lambda: c.replace("k1", b"replaced"))
    step("get replaced", lambda: c.get("k1"))
    step("append", lambda: c.append("k1", b"-tail"))
    step("prepend", lambda: c.prepend("k1", b"head-"))
    step("get appended", lambda: c.get("k1"))
    step("append missing", lambda: c.append("nothere", b"x"))
    step("prepend missing", lambda: c.prepend("nothere", b"x"))

    # cas and gets
    step("gets", lambda: (lambda r: (r[0], cas_label(r[1])))(c.gets("k1")))
    step("gets missing", lambda: c.gets("missing"))
    step("gets_many", lambda: {k: (v[0], cas_label(v[1])) for k, v in c.gets_many(["k1", "m1", "missing"]).items()})
    value, cas = c.gets("k1")
    step("cas current", lambda: c.cas("k1", b"swapped", cas))
    step("cas stale", lambda: c.cas("k1", b"again", cas))
    step("cas missing", lambda: c.cas("missing", b"x", cas))
    step("get after cas", lambda: (lambda r: (r[0], cas_label(r[1])))(c.gets("k1")))

    # delete
    step("delete existing", lambda: c.delete("m1"))
    step("delete missing", lambda: c.delete("m1"))
    step("delete_many", lambda: c.delete_many(["m2", "m3", "missing"]))
    step("get_many after delete", lambda: c.get_many(["m1", "m2", "m3"]))

    # arithmetic
    step("incr missing", lambda: c.incr("counter", 1))
    step("set counter", lambda: c.set("counter", b"10"))
    step("incr", lambda: c.incr("counter", 5))
    step("decr", lambda: c.decr("counter", 3))
    step("decr below zero", lambda: c.decr("counter", 1000))
    step("incr big", lambda: c.incr("counter", 18446744073709551615))
    step("incr wraps", lambda: c.incr("counter", 1))
    step("set long counter", lambda: c.set("counter", b"100"))
    step("decr shortens", lambda: c.decr("counter", 1))
    step("get shortened", lambda: c.get("counter"))
    step("incr non-numeric", lambda: c.incr("k1", 1))
    step("decr missing", lambda: c.decr("missing", 1))
    step("incr noreply", lambda: c.incr("counter", 1, noreply=True))
    step("get after incr noreply", lambda: c.get("counter"))

    # touch and get-and-touch
    step("touch existing", lambda: c.touch("k1", 100))
    step("touch missing", lambda: c.touch("missing", 100))
    for name in ("gat", "gats"):
        if hasattr(c, name):
            step(name, lambda name=name: getattr(c, name)("k1", 100))
        else:
            print("%s -> not provided by this pymemcache" % name)

    # noreply on the normal client and on a default-noreply client
    step("set noreply", lambda: c.set("nr", b"1", noreply=True))
    step("add noreply existing", lambda: c.add("nr", b"2", noreply=True))
    step("replace noreply", lambda: c.replace("nr", b"3", noreply=True))
    step("append noreply", lambda: c.append("nr", b"4", noreply=True))
    step("get after noreply", lambda: c.get("nr"))
    step("quiet set", lambda: quiet.set("q1", b"quiet"))
    step("quiet set_many", lambda: quiet.set_many({"q2": b"a", "q3": b"b"}))
    step("quiet delete", lambda: quiet.delete("q2"))
    step("quiet delete_many", lambda: quiet.delete_many(["q3", "missing"]))
    step("quiet touch", lambda: quiet.touch("q1", 100))
    step("quiet incr", lambda: quiet.incr("counter", 1))
    step("get_many after quiet", lambda: c.get_many(["q1", "q2", "q3", "counter"]))

    # binary values and sizes
    binary = bytes(range(256)) + b"\r\n\x00END\r\n" + bytes(range(255, -1, -1))
    step("set binary", lambda: c.set("bin", binary))
    step("get binary equal", lambda: c.get("bin") == (binary, 0))
    step("set empty", lambda: c.set("empty", b""))
    step("get empty", lambda: c.get("empty"))
    large = bytes((i * 131 + 7) % 256 for i in range(1000 * 1000))
    step("set 1000000 bytes", lambda: c.set("large", large))
    step("get 1000000 bytes", lambda: c.get("large"))
    step("set 1 MiB + 1 bytes", lambda: c.set("huge", b"h" * (1024 * 1024 + 1)))
    step("get after too large", lambda: c.get("huge"))
    step("client still usable", lambda: c.get("k1"))

    # expiry with short TTLs: one bounded sleep covers them all. TTLs are 2 s, not 1: memcached's clock ticks once
    # a second, so a 1 s item can expire between two back-to-back commands and make the transcript flaky.
    step("set ttl 2", lambda: c.set("ttl2", b"short", expire=2))
    step("get ttl 2 before expiry", lambda: c.get("ttl2"))
    step("set ttl 100", lambda: c.set("ttl100", b"long", expire=100))
    step("set ttl 2 then touch 100", lambda: c.set("ttltouched", b"kept", expire=2))
    step("touch to 100", lambda: c.touch("ttltouched", 100))
    step("set ttl 100 then touch 2", lambda: c.set("ttlshortened", b"gone", expire=100))
    step("touch to 2", lambda: c.touch("ttlshortened", 2))
    time.sleep(3.5)
    step("get ttl 2 after expiry", lambda: c.get("ttl2"))
    step("get ttl 100", lambda: c.get("ttl100"))
    step("get touched to 100", lambda: c.get("ttltouched"))
    step("get touched to 2", lambda: c.get("ttlshortened"))
    step("add over expired", lambda: c.add("ttl2", b"again"))
    step("get re-added", lambda: c.get("ttl2"))

    # admin
    step("version type", lambda: type(c.version()).__name__)
    try:
        for line in stat_shape(c.stats()):
            print("stats: " + line)
    except Exception as error:
        print("stats -> raised %s: %s" % (type(error).__name__, error))
    step("flush_all", lambda: c.flush_all())
    step("get after flush_all", lambda: c.get_many(["k1", "kf", "added", "bin", "large", "ttl100"]))
    step("quiet flush_all", lambda: quiet.flush_all())
    # The noreply flush_all above is not waited for (another connection), and flush_all also invalidates what was
    # stored in its clock second: a set right after it read back as a miss in one run against one server only. The
    # steps below are about reconnecting after quit: start them two seconds clear of the flush.
    time.sleep(2.1)
    step("quit", lambda: c.quit())
    step("set after quit reconnects", lambda: c.set("after", b"quit"))
    step("get after quit", lambda: c.get("after"))

    c.close()
    quiet.close()
    print("done")


if __name__ == "__main__":
    main()

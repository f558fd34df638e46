#!/usr/bin/env python3
"""Writes the crafted part of the seed corpus (fuzz/corpus/*); the dig-* queries beside them were captured from dig.
Run from fuzz/: python3 tools/make-seeds.py. Seeds are small on purpose: afl-fuzz mutates them byte by byte."""
import os, struct

def name(n):
    out = b""
    for label in n.rstrip(".").split("."):
        if label:
            out += bytes([len(label)]) + label.encode()
    return out + b"\0"

def query(qname, qtype=1, qid=0x1234, rd=True, cd=False, edns=None, do=False, options=b""):
    flags = (0x0100 if rd else 0) | (0x0010 if cd else 0)
    packet = struct.pack(">HHHHHH", qid, flags, 1, 0, 0, 0 if edns is None else 1) + name(qname) + struct.pack(">HH", qtype, 1)
    if edns is not None:
        packet += b"\0" + struct.pack(">HHIH", 41, edns, 0x8000 if do else 0, len(options)) + options
    return packet

def write(target, file, data):
    os.makedirs(f"corpus/{target}", exist_ok=True)
    with open(f"corpus/{target}/{file}", "wb") as f:
        f.write(data)

long_name = ".".join(["a" * 63, "b" * 63, "c" * 63, "d" * 47, "whatsapp.com"])  # 253 characters
queries = {
    "a-two.test": query("two.test"),
    "a-www.chain.test-edns": query("www.chain.test", edns=1232),
    "a-www.cut.test": query("www.cut.test", edns=4096),
    "a-missing.test-do": query("missing.test", edns=1232, do=True),
    "aaaa-two.test-cd": query("two.test", 28, cd=True),
    "a-vk.test-stub": query("vk.test", edns=512),
    "a-forged.test": query("www.forged.test"),
    "aaaa-page.test": query("page.test", 28, edns=1232),
    "a-tcp.test": query("tcp.test", edns=1232),
    "a-slow.test": query("slow.test"),
    "a-x.example.net-wildcard": query("x.example.net", edns=600),
    "a-static.whatsapp.net-exception": query("static.whatsapp.net"),
    "txt-quiet.test": query("quiet.test", 16, edns=1232),
    "a-broken.test-cookie": query("Broken.Test", edns=1232, options=struct.pack(">HH", 10, 8) + b"\x01\x02\x03\x04\x05\x06\x07\x08"),
    "a-253-char-name-edns-512": query(long_name, edns=512, do=True),
    "a-253-char-name-plain": query(long_name),
}
for file, packet in queries.items():
    write("wire-query", file, packet)
    write("udp-fast-path", file, packet)
for file in os.listdir("corpus/wire-query"):
    if file.startswith("dig-"):
        write("udp-fast-path", file, open(f"corpus/wire-query/{file}", "rb").read())

# blocked-answer: action selector, label-count selector, query (actions: fuzz/NationalDns.Fuzz/FastPath/FastPathFixtures.cs).
for action in range(13):
    write("blocked-answer", f"action-{action}-a", bytes([action, 1]) + query("web.whatsapp.com", edns=1232))
write("blocked-answer", "nxdomain-long-name-edns-512", bytes([0, 1]) + queries["a-253-char-name-edns-512"])
write("blocked-answer", "sinkhole-aaaa-plain", bytes([5, 0]) + query("t.me", 28))
write("blocked-answer", "forge-mixed-case-do", bytes([8, 2]) + query("API.Telegram.ORG", edns=4096, do=True))

# cached-answer: answer selector (0..6), age in seconds, query.
for kind in range(7):
    write("cached-answer", f"kind-{kind}", bytes([kind, kind * 9]) + query("host.test", [1, 1, 1, 1, 28, 15, 16][kind], edns=1232 if kind % 2 else None))
write("cached-answer", "txt-edns-600", bytes([6, 0]) + query("big.test", 16, edns=600))

# tcp-framing: what a client streams before closing its side.
def frame(packet):
    return struct.pack(">H", len(packet)) + packet
write("tcp-framing", "one-query", frame(query("two.test")))
write("tcp-framing", "three-pipelined", frame(query("a.test", qid=1)) + frame(query("b.test", 28, qid=2, edns=1232)) + frame(query("c.test", qid=3)))
write("tcp-framing", "garbage-then-query", frame(b"\xff" * 7) + frame(query("d.test")))
write("tcp-framing", "cut-mid-frame", frame(query("e.test")) + struct.pack(">H", 40) + query("f.test")[:10])
write("tcp-framing", "zero-length-ends", frame(query("g.test")) + b"\0\0" + frame(query("h.test")))

# rpz-transfer: the held serial (0 = AXFR), then the primary's length-prefixed answer messages.
def rr(owner, rtype, rdata, ttl=300):
    return name(owner) + struct.pack(">HHIH", rtype, 1, ttl, len(rdata)) + rdata
def soa(serial):
    return rr("rpz.example", 6, name("ns.rpz.example") + name("hostmaster.rpz.example") + struct.pack(">IIIII", serial, 3600, 600, 86400, 60))
def cname(owner, target):
    return rr(owner, 5, name(target))
def a(owner, address):
    return rr(owner, 1, bytes(int(x) for x in address.split(".")))
def answer(records, qtype=252, qid=7):
    header = struct.pack(">HHHHHH", qid, 0x8400, 1, len(records), 0, 0)
    return frame(header + name("rpz.example") + struct.pack(">HH", qtype, 1) + b"".join(records))
zone = [cname("nx.test.rpz.example", "."), cname("*.wild.test.rpz.example", "."), cname("nodata.test.rpz.example", "*."),
        cname("ok.nx.test.rpz.example", "rpz-passthru."), cname("drop.test.rpz.example", "rpz-drop."), a("sink.test.rpz.example", "192.0.2.53")]
write("rpz-transfer", "axfr-one-message", b"\0" + answer([soa(5)] + zone + [soa(5)]))
write("rpz-transfer", "axfr-two-messages", b"\0" + answer([soa(6)] + zone[:3]) + answer(zone[3:] + [soa(6)]))
write("rpz-transfer", "ixfr-up-to-date", b"\x05" + answer([soa(5)], 251))
write("rpz-transfer", "ixfr-needs-full", b"\x03" + answer([soa(5)], 251))
write("rpz-transfer", "ixfr-two-steps", b"\x03" + answer([soa(5), soa(3), cname("bad.example.rpz.example", "."), soa(4), zone[0], soa(4), soa(5), zone[1], soa(5)], 251))
write("rpz-transfer", "ixfr-as-axfr", b"\x03" + answer([soa(5)] + zone + [soa(5)], 251))

# config: JSON files as operators write them.
configs = {
    "readme.json": '{ "Listen": ["127.0.0.1:1053", "[::1]:1053"], "Upstream": ["9.9.9.9"], "Action": "refused", "BlockTtl": 300 }',
    "lists-and-cache.json": '{ "Blocklist": ["blocklists", "rpz:lists/policy.zone"], "Upstream": "192.0.2.1:5353,192.0.2.2", "CacheSize": 1000, "Threads": 2 }',
    "operations.json": '{ "Http": "127.0.0.1:8080", "AllowClient": ["10.0.0.0/8"], "RateLimit": 100, "RateLimitAction": "refused", "ShutdownTimeout": "5s", "LogLevel": "debug" }',
    "rpz.json": '{ "RpzZone": "rpz.nationaldns.test", "Notify": ["127.0.0.1:5300"], "AllowTransfer": ["127.0.0.0/8"], "QueryLog": "off" }',
    "follower.json": '{ "RpzZone": "rpz.example", "RpzPrimary": "127.0.0.1:5300", "RpzCache": "/tmp/rpz.cache", "Action": "sinkhole 192.0.2.1" }',
    "bad-values.json": '{ "Listen": "nowhere:99999", "Threads": 0, "BlockTtl": "-1" }',
}
for file, text in configs.items():
    write("config", file, text.encode())

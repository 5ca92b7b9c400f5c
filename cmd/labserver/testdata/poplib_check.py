"""Drive labserver with Python's poplib, a POP3 client not written here.

Usage: poplib_check.py MODE HOST PORT USER PASSWORD
MODE is "plain", "stls" (upgrade with STLS, RFC 2595) or "pop3s" (implicit
TLS). Prints one "name: value" line per check; exits non-zero on the first
protocol error, with poplib's message.
"""
import poplib
import ssl
import sys


def unverified():
    # The lab's certificate is self-signed, made at start.
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    return ctx


def main():
    mode, host, port, user, password = sys.argv[1:6]
    port = int(port)
    if mode == "pop3s":
        p = poplib.POP3_SSL(host, port, context=unverified(), timeout=20)
    else:
        p = poplib.POP3(host, port, timeout=20)
    print("welcome:", p.getwelcome().decode())
    caps = p.capa()
    print("capa:", " ".join(sorted(caps)))
    if mode == "stls":
        p.stls(context=unverified())
        print("stls: ok")
        print("capa after stls:", " ".join(sorted(p.capa())))
    p.user(user)
    p.pass_(password)
    count, size = p.stat()
    print("stat:", count, size)
    resp, listing, _ = p.list()
    print("list:", len(listing), "messages")
    total = 0
    for entry in listing:
        num, octets = entry.split()
        resp, lines, got = p.retr(int(num))
        # poplib counts each line plus CRLF, with dot-stuffing undone: the
        # size LIST gave in CRLF octets must match the message received.
        body = sum(len(l) + 2 for l in lines)
        if body != int(octets):
            print("size mismatch for", num.decode(), ":", body, "!=", octets.decode())
            sys.exit(1)
        total += body
    print("retr total:", total)
    resp, uidls, _ = p.uidl()
    print("uidl:", len(uidls), "ids")
    p.dele(1)
    print("dele: 1")
    count_after, _ = p.stat()
    print("stat after dele:", count_after)
    print("quit:", p.quit().decode())


if __name__ == "__main__":
    try:
        main()
    except poplib.error_proto as e:
        print("poplib error:", e)
        sys.exit(1)

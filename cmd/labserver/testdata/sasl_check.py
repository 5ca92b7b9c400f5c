"""Log in to labserver through SASL with Python's imaplib and poplib,
clients not written here.

Usage: sasl_check.py PROTO HOST PORT USER PASSWORD
PROTO is "imap" or "pop3". For each mechanism the script logs in with the
right password and then with a wrong one, and prints one "name: value"
line per attempt. imaplib has CRAM-MD5 built in (login_cram_md5) and runs
any other mechanism through authenticate(); poplib has no AUTH, so its
exchanges are written out here, line by line as RFC 5034 gives them.
"""
import base64
import hashlib
import hmac
import imaplib
import poplib
import sys


def imap(host, port, user, password):
    m = imaplib.IMAP4(host, port, timeout=20)
    print("capabilities:", " ".join(sorted(m.capabilities)))
    m.logout()

    def attempt(name, login):
        m = imaplib.IMAP4(host, port, timeout=20)
        try:
            typ, data = login(m)
            print(name + ":", typ)
            typ, data = m.select("INBOX")
            print(name + " select:", typ, data[0].decode())
            m.logout()
        except imaplib.IMAP4.error as e:
            print(name + ":", "refused", e)
            m.logout()

    def login_answers(pw):
        def answer(challenge):
            return {b"Username:": user, b"Password:": pw}[challenge].encode()
        return answer

    def plain(pw):
        return lambda challenge: ("\0" + user + "\0" + pw).encode()

    for suffix, pw in (("", password), (" wrong", password + "x")):
        attempt("cram-md5" + suffix, lambda m: m.login_cram_md5(user, pw))
        attempt("login" + suffix, lambda m: m.authenticate("LOGIN", login_answers(pw)))
        attempt("plain" + suffix, lambda m: m.authenticate("PLAIN", plain(pw)))


def b64(s):
    return base64.b64encode(s.encode()).decode()


def pop3(host, port, user, password):
    p = poplib.POP3(host, port, timeout=20)
    print("capa sasl:", " ".join(p.capa().get("SASL", [])))
    p.quit()

    def cram(p, pw):
        challenge = base64.b64decode(p._shortcmd("AUTH CRAM-MD5")[2:])
        digest = hmac.new(pw.encode(), challenge, hashlib.md5).hexdigest()
        return p._shortcmd(b64(user + " " + digest))

    def login(p, pw):
        assert base64.b64decode(p._shortcmd("AUTH LOGIN")[2:]) == b"Username:"
        assert base64.b64decode(p._shortcmd(b64(user))[2:]) == b"Password:"
        return p._shortcmd(b64(pw))

    def plain(p, pw):
        return p._shortcmd("AUTH PLAIN " + b64("\0" + user + "\0" + pw))

    for suffix, pw in (("", password), (" wrong", password + "x")):
        for name, run in (("cram-md5", cram), ("login", login), ("plain", plain)):
            p = poplib.POP3(host, port, timeout=20)
            try:
                resp = run(p, pw)
                print(name + suffix + ":", resp.decode())
                count, size = p.stat()
                print(name + suffix + " stat:", count, size)
            except poplib.error_proto as e:
                print(name + suffix + ":", "refused", e.args[0].decode())
            p.quit()


def main():
    proto, host, port, user, password = sys.argv[1:6]
    {"imap": imap, "pop3": pop3}[proto](host, int(port), user, password)


if __name__ == "__main__":
    main()

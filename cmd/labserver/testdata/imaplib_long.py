"""Send a command line longer than the server reads with Python's imaplib
and print the answer it got, then whether the session still works.

usage: imaplib_long.py HOST PORT USER PASSWORD
"""
import imaplib
import sys

host, port, user, password = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
m = imaplib.IMAP4(host, port, timeout=10)
m.login(user, password)
m.select("INBOX")
uids = ",".join(map(str, range(1, 30000, 2)))
try:
    typ, data = m.uid("FETCH", uids, "(FLAGS)")
    print("long fetch:", typ, data)
except imaplib.IMAP4.error as e:
    print("long fetch: BAD", e)
typ, data = m.noop()
print("noop:", typ)
print("logout:", m.logout()[0])

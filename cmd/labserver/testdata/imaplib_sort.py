"""SORT, THREAD, ESEARCH and SEARCHRES with Python's imaplib; prints what each step got.

usage: imaplib_sort.py HOST PORT USER PASSWORD
"""
import imaplib
import sys

host, port, user, password = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
m = imaplib.IMAP4(host, port)
m.login(user, password)
caps = set(m.capabilities)
print("caps:", " ".join(sorted(c for c in caps if c.startswith(("SORT", "THREAD", "ESEARCH", "ESORT", "SEARCHRES", "WITHIN", "CONTEXT")))))
m.select("INBOX")
mine = ("HEADER", "Message-ID", "sorted.example")
typ, data = m.sort("(REVERSE DATE)", "UTF-8", *mine)
print("sort:", typ, data[0].decode())
typ, data = m.uid("SORT", "(SUBJECT)", "UTF-8", *mine)
print("uid sort:", typ, data[0].decode())
typ, data = m.thread("REFERENCES", "UTF-8", *mine)
print("thread:", typ, data[0].decode())
typ, data = m.search(None, "RETURN", "(MIN MAX COUNT)", *mine)
print("esearch:", typ, m.untagged_responses.pop("ESEARCH", [b""])[0].decode())
typ, data = m.search(None, "RETURN", "(SAVE)", "SUBJECT", "Exam")
print("save:", typ)
typ, data = m.fetch("$", "(UID)")
print("fetch $:", typ, " ".join(d.decode() for d in data if d))
m.logout()

"""Drive labserver's IMAP with Python's imaplib and print what each step got.

usage: imaplib_check.py plain|starttls|imaps HOST PORT USER PASSWORD
"""
import imaplib
import ssl
import sys
import time

mode, host, port, user, password = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5]
ctx = ssl.create_default_context()
ctx.check_hostname = False
ctx.verify_mode = ssl.CERT_NONE

if mode == "imaps":
    m = imaplib.IMAP4_SSL(host, port, ssl_context=ctx)
else:
    m = imaplib.IMAP4(host, port)
    if mode == "starttls":
        print("starttls:", m.starttls(ssl_context=ctx)[0])

typ, _ = m.login(user, password)
print("login:", typ)
box = "Copies%d" % (time.time() * 1000000)
typ, _ = m.create(box)
typ, data = m.list()
print("list:", typ, len(data))
typ, data = m.select("INBOX")
print("select:", typ, data[0].decode())
n = data[0].decode()
typ, data = m.fetch(n, "(BODY.PEEK[HEADER.FIELDS (SUBJECT)] BODY.PEEK[TEXT])")
subject = data[0][1].decode().strip().replace("Subject: ", "")
print("fetch:", typ, subject)
typ, data = m.fetch(n, "(BODYSTRUCTURE ENVELOPE RFC822.SIZE)")
print("structure:", typ, data[0].decode()[:80])
typ, data = m.search("UTF-8", "SUBJECT", '"imaplib"')
print("search:", typ, data[0].decode())
typ, data = m.store(n, "+FLAGS", "(\\Flagged)")
print("store:", typ, data[0].decode())
typ, data = m.append("INBOX", "(\\Seen)", None, b"Subject: appended\r\n\r\nby imaplib\r\n")
print("append:", typ, data[0].decode())
typ, data = m.copy(n, box)
print("copy:", typ, data[0].decode())
m.noop()
last = str(int(n) + 1)
typ, data = m.store(last, "+FLAGS", "(\\Deleted)")
typ, data = m.expunge()
print("expunge:", typ, [d.decode() for d in data if d], "want", last)
typ, data = m.logout()
print("logout:", typ)

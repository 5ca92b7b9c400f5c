"""Send mail to labserver with Python's smtplib, a client not written here.

Usage: smtp_check.py HOST MTA_PORT SUBMISSION_PORT LMTP_PORT

Each case prints one JSON line: its name, whether it went through, the
error or reply, and the octets smtplib handed to DATA (base64), which the
test compares with what it fetches back over IMAP. Every message has a
subject of its own, so the test can find it.

  mta        SMTP to the MTA port, send_message
  lmtp       the LMTP class to the LMTP listener, send_message
  plain, login, cram-md5
             the submission port: starttls(), then login() with that one
             mechanism (esmtp_features['auth'] narrowed to it), then
             send_message of a message without Date and Message-ID
  8bitmime   a UTF-8 body sent as 8 bits, BODY=8BITMIME
  smtputf8   a non-ASCII sender address, mail_options=['SMTPUTF8']
  wrong      login with a wrong password: SMTPAuthenticationError
"""
import base64
import json
import smtplib
import ssl
import sys
from email.message import EmailMessage


class Recording:
    """Keeps what smtplib hands to DATA, after send_message flattened it."""

    def data(self, msg):
        self.sent = msg
        return super().data(msg)


class SMTP(Recording, smtplib.SMTP):
    pass


class LMTP(Recording, smtplib.LMTP):
    pass


def message(sender, to, subject, body, cte=None):
    m = EmailMessage()
    m["From"] = sender
    m["To"] = to
    m["Subject"] = subject
    if cte:
        m.set_content(body, charset="utf-8", cte=cte)
    else:
        m.set_content(body)
    return m


def report(name, ok, detail, sent=b""):
    print(json.dumps({"name": name, "ok": ok, "detail": detail,
                      "sent": base64.b64encode(sent).decode()}), flush=True)


def tls_context():
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE  # labserver's certificate is self-signed
    return ctx


def submission(host, port, mech, password="toybox"):
    s = SMTP(host, port, local_hostname="python-" + mech.lower() + ".example", timeout=20)
    s.starttls(context=tls_context())
    s.ehlo()
    s.esmtp_features["auth"] = mech  # login() tries only what the server offers
    s.login("melanie", password)
    return s


def main():
    host, mta, sub, lmtp = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])

    with SMTP(host, mta, local_hostname="python-mta.example", timeout=20) as s:
        refused = s.send_message(message("Alex <alex@example.org>", "melanie@example.org",
                                         "python mta", "Sent by smtplib to the MTA.\n.leading dot\n"))
        report("mta", refused == {}, str(refused), s.sent)

    with LMTP(host, lmtp, local_hostname="python-lmtp.example", timeout=20) as s:
        refused = s.send_message(message("Alex <alex@example.org>", "mrose@example.org",
                                         "python lmtp", "Sent by smtplib's LMTP class.\n"))
        report("lmtp", refused == {}, str(refused), s.sent)

    for mech in ("PLAIN", "LOGIN", "CRAM-MD5"):
        with submission(host, sub, mech) as s:
            refused = s.send_message(message("Melanie <melanie@example.org>", "alex@example.org",
                                             "python " + mech.lower(), "Logged in with " + mech + ".\n"))
            report(mech.lower(), refused == {}, str(refused), s.sent)

    with submission(host, sub, "PLAIN") as s:
        m = message("Melanie <melanie@example.org>", "alex@example.org", "python 8bitmime",
                    "Привет! Письмо в UTF-8, восемь бит.\n", cte="8bit")
        refused = s.send_message(m, mail_options=["BODY=8BITMIME"])
        report("8bitmime", refused == {}, str(refused), s.sent)

    with submission(host, sub, "PLAIN") as s:
        m = message("Мелани <мелани@example.org>", "alex@example.org", "python smtputf8",
                    "Адрес отправителя в UTF-8.\n", cte="8bit")
        try:
            refused = s.send_message(m, mail_options=["SMTPUTF8"])
            report("smtputf8", refused == {}, str(refused), s.sent)
        except smtplib.SMTPException as e:
            report("smtputf8", False, repr(e))

    try:
        submission(host, sub, "PLAIN", password="wrong").quit()
        report("wrong", False, "logged in with a wrong password")
    except smtplib.SMTPAuthenticationError as e:
        report("wrong", True, "%d %s" % (e.smtp_code, e.smtp_error.decode()))


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Checks what consultd-mail delivered against the notices it took, in real Maildirs.

    check-mailbox.py --sent OUTBOX/sent --domain D --from ADDRESS [--home /home] [--max-copies 2]
                     [--notice-ids FILE] [--wait SECONDS]

For every notice file under --sent (sent/DATE/NOTICE_ID.json) and each of its recipients
(to + cc), the recipient's mailbox is the Maildir of account cm-LOCAL-PART (office.stc@example.vn
-> /home/cm-office-stc/Maildir), as scripts/postfix-test.sh maps them. Each message there whose
Message-ID is <NOTICE_ID@DOMAIN> is parsed with Python's email package and checked: From, To and
Cc equal the notice's (and the configured sender), the decoded Subject and body equal the
notice's subject and body, Date is the notice's `created`, In-Reply-To and References are
<CONSULTATION@DOMAIN>, Auto-Submitted: auto-generated, Importance: high and X-Priority for err
and above only, MIME text/plain; charset=utf-8 in quoted-printable with lines under 78
characters. Every notice must be in every recipient's mailbox at least once and at most
--max-copies times. Waits up to --wait seconds for the messages to arrive.

Prints one JSON line: {"notices", "messages", "duplicates", "threads", "errors": [first 20]};
exits 1 when there is an error.
"""
import argparse, email, re, email.policy, email.utils, glob, json, os, sys, time

def account(address):
    local = address.split("@")[0]
    return "cm-" + local.replace(".", "-")

def mailbox_messages(home, acct, cache):
    found = {}
    for path in glob.glob(f"{home}/{acct}/Maildir/new/*") + glob.glob(f"{home}/{acct}/Maildir/cur/*"):
        if path not in cache:
            with open(path, "rb") as f:
                raw = f.read()
            cache[path] = (raw, email.message_from_bytes(raw, policy=email.policy.default))
        raw, msg = cache[path]
        found.setdefault(str(msg["Message-ID"]).strip(), []).append((path, raw, msg))
    return found

def header_text(text):
    """A notice's text as consultd-mail puts it in a header: line breaks and tabs as spaces,
    other controls (C0, DEL, C1, bidirectional controls) as '?'."""
    text = re.sub("\r\n|[\r\n\t\x85\u2028\u2029]", " ", text)
    return "".join("?" if ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F or c in BIDI else c for c in text)

def body_text(text):
    """A notice's body as consultd-mail sends it: CR LF as LF, tabs kept, other controls as '?'."""
    text = text.replace("\r\n", "\n")
    return "".join("?" if (ord(c) < 0x20 and c not in "\n\t") or 0x7F <= ord(c) <= 0x9F or c in BIDI or c in "\u2028\u2029" else c
                   for c in text)

BIDI = set("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")

def check(notice, msg, raw, args, errors):
    nid = notice["notice_id"]
    def fail(what):
        errors.append(f"{nid}: {what}")
    want = {
        "Message-ID": f"<{nid}@{args.domain}>",
        "In-Reply-To": f"<{notice['consultation']}@{args.domain}>",
        "References": f"<{notice['consultation']}@{args.domain}>",
        "Auto-Submitted": "auto-generated",
        "MIME-Version": "1.0",
        "Content-Transfer-Encoding": "quoted-printable",
    }
    for name, value in want.items():
        if str(msg[name]).strip() != value:
            fail(f"{name} is {msg[name]!r}, not {value!r}")
    if msg.get_content_type() != "text/plain" or msg.get_content_charset() != "utf-8":
        fail(f"Content-Type is {msg['Content-Type']!r}")
    if str(msg["Subject"]) != header_text(notice["subject"]):
        fail(f"Subject decodes to {str(msg['Subject'])!r}, not {header_text(notice['subject'])!r}")
    if msg["Bcc"] is not None:
        fail("a Bcc header")
    if msg.get_content() != body_text(notice["body"]):
        fail("the body differs from the notice's")
    frm = msg["From"].addresses
    if len(frm) != 1 or frm[0].addr_spec != args.sender:
        fail(f"From is {msg['From']!r}")
    if args.sender_name and frm and frm[0].display_name != args.sender_name:
        fail(f"From's name is {frm[0].display_name!r}, not {args.sender_name!r}")
    for header, key in (("To", "to"), ("Cc", "cc")):
        got = [a.addr_spec for a in msg[header].addresses] if msg[header] else []
        if got != notice[key]:
            fail(f"{header} is {got}, not {notice[key]}")
    date = email.utils.parsedate_to_datetime(str(msg["Date"]))
    created = notice["created"]
    if date.isoformat() != created.replace("Z", "+00:00"):
        fail(f"Date {msg['Date']!r} is not created {created!r}")
    high = notice["priority"] in ("err", "crit", "alert", "emerg")
    if high != (msg["Importance"] is not None) or high != (msg["X-Priority"] is not None):
        fail(f"priority {notice['priority']} with Importance={msg['Importance']!r} X-Priority={msg['X-Priority']!r}")
    if high and str(msg["Importance"]) != "high":
        fail(f"Importance is {msg['Importance']!r}")
    head, _, body = raw.partition(b"\n\n")
    for line in body.split(b"\n"):
        if len(line) >= 78:
            fail(f"a body line of {len(line)} characters")
            break
    for line in head.split(b"\n"):
        if b"\r" in line:
            fail("a CR in the header")
            break
    subject_lines = [l for l in head.split(b"\n") if l.startswith(b"Subject:")]
    if len(subject_lines) != 1:
        fail("not exactly one Subject")

def main():
    p = argparse.ArgumentParser()
    p.add_argument("--sent", required=True)
    p.add_argument("--domain", required=True)
    p.add_argument("--from", dest="sender", required=True)
    p.add_argument("--from-name")
    p.add_argument("--home", default="/home")
    p.add_argument("--max-copies", type=int, default=1)
    p.add_argument("--wait", type=float, default=30)
    p.add_argument("--prefix", default="", help="only notices whose id starts with this")
    args = p.parse_args()
    args.sender_name = args.from_name

    notices = []
    for path in sorted(glob.glob(f"{args.sent}/*/*")):
        with open(path, encoding="utf-8") as f:
            notice = json.load(f)
        if notice["notice_id"].startswith(args.prefix) and (notice["to"] or notice["cc"]):
            notices.append(notice)
    cache = {}
    deadline = time.time() + args.wait
    while True:
        errors, messages, duplicates = [], 0, 0
        threads = {}
        missing = False
        boxes = {}
        for notice in notices:
            mid = f"<{notice['notice_id']}@{args.domain}>"
            for address in sorted(set(notice["to"] + notice["cc"])):
                acct = account(address)
                if acct not in boxes:
                    boxes[acct] = mailbox_messages(args.home, acct, cache)
                copies = boxes[acct].get(mid, [])
                if not copies:
                    missing = True
                    errors.append(f"{notice['notice_id']}: no message in {acct}'s Maildir")
                    continue
                messages += len(copies)
                if len(copies) > 1:
                    duplicates += len(copies) - 1
                if len(copies) > args.max_copies:
                    errors.append(f"{notice['notice_id']}: {len(copies)} copies in {acct}'s Maildir")
                for _, raw, msg in copies:
                    check(notice, msg, raw, args, errors)
                    threads.setdefault(str(msg["References"]), set()).add(notice["consultation"])
        for ref, consultations in threads.items():
            if len(consultations) != 1:
                errors.append(f"References {ref} threads several consultations: {sorted(consultations)}")
        if not missing or time.time() >= deadline:
            break
        time.sleep(0.2)
        cache = {k: v for k, v in cache.items()}
    print(json.dumps({"notices": len(notices), "messages": messages, "duplicates": duplicates,
                      "threads": len(threads), "errors": errors[:20], "error_count": len(errors)}, ensure_ascii=False))
    sys.exit(1 if errors or not notices else 0)

main()

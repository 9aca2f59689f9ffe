# Dovecot 2.3.19: LOGIN with capabilities in the OK, ENABLE QRESYNC, SELECT,
# summaries with ENVELOPE, the BODYSTRUCTURE of a real multipart message
# (alternative + PDF attachment + forwarded message), a part fetched in
# two ranges, STORE with and without UNCHANGEDSINCE, ESEARCH.
P: tls
S: * OK [CAPABILITY IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE LITERAL+ STARTTLS AUTH=PLAIN AUTH=LOGIN] Dovecot (Debian) ready.
E: greeting OK *
X: login alice secret
C: a1 LOGIN alice <<secret>>
S: a1 OK [CAPABILITY IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE SORT SORT=DISPLAY THREAD=REFERENCES THREAD=REFS THREAD=ORDEREDSUBJECT MULTIAPPEND URL-PARTIAL CATENATE UNSELECT CHILDREN NAMESPACE UIDPLUS LIST-EXTENDED I18NLEVEL=1 CONDSTORE QRESYNC ESEARCH ESORT SEARCHRES WITHIN CONTEXT=SEARCH LIST-STATUS BINARY MOVE SNIPPET=FUZZY PREVIEW=FUZZY PREVIEW STATUS=SIZE SAVEDATE LITERAL+ NOTIFY SPECIAL-USE] Logged in
E: done a1 LOGIN OK [CAPABILITY (IMAP4rev1 SASL-IR * SPECIAL-USE)] Logged in
X: enable QRESYNC
C: a2 ENABLE QRESYNC
S: * ENABLED QRESYNC
S: a2 OK Enabled (0.001 + 0.000 secs).
E: data ENABLED (QRESYNC)
E: done a2 ENABLE OK Enabled (0.001 + 0.000 secs).
X: select INBOX
C: a3 SELECT INBOX
X: can-send noop
E: can-send noop: a command that must complete alone is in flight
S: * FLAGS (\Answered \Flagged \Deleted \Seen \Draft)
S: * OK [PERMANENTFLAGS (\Answered \Flagged \Deleted \Seen \Draft \*)] Flags permitted.
S: * 3 EXISTS
S: * 3 RECENT
S: * OK [UNSEEN 2] First unseen.
S: * OK [UIDVALIDITY 1795368962] UIDs valid
S: * OK [UIDNEXT 4] Predicted next UID
S: * OK [HIGHESTMODSEQ 4] Highest
S: a3 OK [READ-WRITE] Select completed (0.001 + 0.000 secs).
E: data FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)=0x1f
E: notice OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft \\*)=0x9f] Flags permitted.
E: exists 3
E: data 3 RECENT
E: notice OK [UNSEEN 2] First unseen.
E: notice OK [UIDVALIDITY 1795368962] UIDs valid
E: notice OK [UIDNEXT 4] Predicted next UID
E: notice OK [HIGHESTMODSEQ 4] Highest
E: done a3 SELECT OK [READ-WRITE] Select completed (0.001 + 0.000 secs).
X: show-state
E: state SELECTED tls=1 caps-known=1 in-flight=0 exists=3 recent=3 uidvalidity=1795368962 uidnext=4 unseen=2 highestmodseq=4 permanentflags=0x9f read-only=0
X: uid-fetch 1:* "UID FLAGS INTERNALDATE RFC822.SIZE ENVELOPE"
C: a4 UID FETCH 1:* (UID FLAGS INTERNALDATE RFC822.SIZE ENVELOPE)
S: * 1 FETCH (UID 1 FLAGS (\Seen \Recent) INTERNALDATE "14-Nov-2023 08:13:00 +0000" RFC822.SIZE 1364 ENVELOPE ("Tue, 14 Nov 2023 09:12:45 +0100" "=?UTF-8?B?UmU6IGNhZsOpIG1lZXRpbmc=?=" (("=?UTF-8?Q?J=C3=B6rg_M=C3=BCller?=" NIL "joerg" "example.org")) (("=?UTF-8?Q?J=C3=B6rg_M=C3=BCller?=" NIL "joerg" "example.org")) (("=?UTF-8?Q?J=C3=B6rg_M=C3=BCller?=" NIL "joerg" "example.org")) (("Alice" NIL "alice" "example.com")(NIL NIL "bob" "example.net")) ((NIL NIL "undisclosed-recipients" NIL)(NIL NIL NIL NIL)) NIL "<20231113.9@example.com>" "<20231114.1@example.org>"))
S: * 2 FETCH (UID 2 FLAGS (\Recent) INTERNALDATE "22-Nov-2026 17:36:16 +0000" RFC822.SIZE 149 ENVELOPE ("Wed, 15 Nov 2023 12:00:00 +0000" "lunch" (("Bob" NIL "bob" "example.net")) (("Bob" NIL "bob" "example.net")) (("Bob" NIL "bob" "example.net")) ((NIL NIL "alice" "example.com")) NIL NIL NIL "<lunch@example.net>"))
S: * 3 FETCH (UID 3 FLAGS (\Flagged \Recent) INTERNALDATE "22-Nov-2026 17:36:16 +0000" RFC822.SIZE 146 ENVELOPE ("Thu, 16 Nov 2023 08:00:00 +0000" "third" ((NIL NIL "carol" "example.org")) ((NIL NIL "carol" "example.org")) ((NIL NIL "carol" "example.org")) ((NIL NIL "alice" "example.com")) NIL NIL NIL "<third@example.org>"))
S: a4 OK Fetch completed (0.001 + 0.000 secs).
E: fetch FETCH 1 uid=1 flags=(\\Seen \\Recent)=0x21 internaldate=1699949580 size=1364 env(date="Tue, 14 Nov 2023 09:12:45 +0100" subject="=?UTF-8?B?UmU6IGNhZsOpIG1lZXRpbmc=?=" from=(("=?UTF-8?Q?J=C3=B6rg_M=C3=BCller?=" NIL "joerg" "example.org")) * to=(("Alice" NIL "alice" "example.com") (NIL NIL "bob" "example.net")) cc=((NIL NIL "undisclosed-recipients" NIL) (NIL NIL NIL NIL)) in-reply-to="<20231113.9@example.com>" message-id="<20231114.1@example.org>")
E: fetch FETCH 2 uid=2 flags=(\\Recent)=0x20 internaldate=1795368976 size=149 env(date="Wed, 15 Nov 2023 12:00:00 +0000" subject="lunch" from=(("Bob" NIL "bob" "example.net")) *)
E: fetch FETCH 3 uid=3 flags=(\\Flagged \\Recent)=0x24 internaldate=1795368976 size=146 env(* subject="third" from=((NIL NIL "carol" "example.org")) * message-id="<third@example.org>")
E: done a4 UID FETCH OK Fetch completed (0.001 + 0.000 secs).
X: uid-fetch 1 BODYSTRUCTURE
C: a5 UID FETCH 1 (BODYSTRUCTURE)
S: * 1 FETCH (UID 1 BODYSTRUCTURE ((("text" "plain" ("charset" "utf-8") NIL NIL "quoted-printable" 17 0 NIL NIL NIL NIL)("text" "html" ("charset" "utf-8") NIL NIL "7bit" 26 0 NIL NIL NIL NIL) "alternative" ("boundary" "inner") NIL NIL NIL)("application" "pdf" ("name" "agenda.pdf") NIL NIL "base64" 154 NIL ("attachment" ("filename" "agenda.pdf")) ("en") NIL)("message" "rfc822" NIL NIL NIL "7bit" 227 ("Mon, 13 Nov 2023 18:00:00 +0000" "Original" (("Bob" NIL "bob" "example.net")) (("Bob" NIL "bob" "example.net")) (("Bob" NIL "bob" "example.net")) ((NIL NIL "alice" "example.com")) NIL NIL NIL "<20231113.9@example.com>") ("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 14 0 NIL NIL NIL NIL) 8 NIL NIL NIL NIL) "mixed" ("boundary" "outer") NIL NIL NIL))
S: a5 OK Fetch completed (0.001 + 0.000 secs).
E: fetch FETCH 1 uid=1 body={- MULTIPART/mixed boundary=outer {1 MULTIPART/alternative boundary=inner {1.1 text/plain charset=utf-8 size=17 enc=quoted-printable} {1.2 text/html charset=utf-8 size=26 enc=7bit}} {2 application/pdf name=agenda.pdf size=154 enc=base64 disp=attachment filename=agenda.pdf lang=en} {3 message/rfc822 size=227 lines=8 enc=7bit env(date="Mon, 13 Nov 2023 18:00:00 +0000" subject="Original" * message-id="<20231113.9@example.com>") {3.1 text/plain charset=us-ascii size=14 enc=7bit}}}
E: done a5 UID FETCH OK *
# The 154-byte attachment in two ranges.
X: uid-fetch 1 BODY.PEEK[2]<0.100>
C: a6 UID FETCH 1 (BODY.PEEK[2]<0.100>)
S: * 1 FETCH (UID 1 BODY[2]<0> {100}
S: JVBERi0xLjQKJcOkw7zDtsOfCjIgMCBvYmoKPDwvTGVuZ3RoIDMgMCBSL0ZpbHRlci9GbGF0ZURl
S: Y29kZT4+CnN0cmVhbQp4nD)
S: a6 OK Fetch completed (0.001 + 0.000 secs).
E: fetch FETCH 1 uid=1 BODY[2]<0>="JVBERi0xLjQKJcOkw7zDtsOfCjIgMCBvYmoKPDwvTGVuZ3RoIDMgMCBSL0ZpbHRlci9GbGF0ZURl\r\nY29kZT4+CnN0cmVhbQp4nD"
E: done a6 UID FETCH OK *
X: uid-fetch 1 BODY.PEEK[2]<100.100>
C: a7 UID FETCH 1 (BODY.PEEK[2]<100.100>)
S: * 1 FETCH (UID 1 BODY[2]<100> {54}
S: PQM1Qo5ypUMFAw0DMwslAwtTTVMzI3UzBQSC3iKuQCAEeSBQcKZW5k)
S: a7 OK Fetch completed (0.001 + 0.000 secs).
E: fetch FETCH 1 uid=1 BODY[2]<100>="PQM1Qo5ypUMFAw0DMwslAwtTTVMzI3UzBQSC3iKuQCAEeSBQcKZW5k"
E: done a7 UID FETCH OK *
X: uid-store 2 + \Flagged
C: a8 UID STORE 2 +FLAGS (\Flagged)
S: * 2 FETCH (UID 2 MODSEQ (5) FLAGS (\Flagged \Recent))
S: a8 OK Store completed (0.001 + 0.000 secs).
E: fetch FETCH 2 uid=2 flags=(\\Flagged \\Recent)=0x24 modseq=5
E: done a8 UID STORE OK Store completed (0.001 + 0.000 secs).
X: uid-store 2 + \Seen silent unchangedsince=1
C: a9 UID STORE 2 (UNCHANGEDSINCE 1) +FLAGS.SILENT (\Seen)
S: a9 OK [MODIFIED 2] Conditional store failed (0.001 + 0.000 secs).
E: done a9 UID STORE OK [MODIFIED 2] Conditional store failed (0.001 + 0.000 secs).
X: uid-search return=MIN,MAX,COUNT,ALL UNSEEN
C: a10 UID SEARCH RETURN (MIN MAX COUNT ALL) UNSEEN
S: * ESEARCH (TAG "a10") UID MIN 2 MAX 3 ALL 2:3 COUNT 2
S: a10 OK Search completed (0.001 + 0.000 secs).
E: data ESEARCH tag=a10 uid min=2 max=3 count=2 all=2:3
E: done a10 UID SEARCH OK Search completed (0.001 + 0.000 secs).
# With LITERAL+ the UTF-8 string goes as a non-synchronising literal.
X: uid-search return=COUNT FROM "=j\xc3\xb6rg"
C: a11 UID SEARCH RETURN (COUNT) CHARSET UTF-8 FROM {5+}
C: jörg
S: * ESEARCH (TAG "a11") UID COUNT 1
S: a11 OK Search completed (0.001 + 0.001 secs).
E: data ESEARCH tag=a11 uid count=1
E: done a11 UID SEARCH OK *

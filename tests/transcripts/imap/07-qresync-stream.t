# Dovecot 2.3.19: AUTHENTICATE PLAIN with SASL-IR (the response is secret),
# SELECT with QRESYNC parameters (VANISHED (EARLIER) and FETCH before the
# OK), EXAMINE while selected ([CLOSED] separates the old mailbox's
# updates from the new one's), and a whole message streamed in chunks
# (stream-min is low here so 1364 bytes stream).
P: tls stream-min=512
S: * OK [CAPABILITY IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE LITERAL+ STARTTLS AUTH=PLAIN AUTH=LOGIN] Dovecot (Debian) ready.
E: greeting OK *
X: authenticate PLAIN AGFsaWNlAHNlY3JldA==
C: a1 AUTHENTICATE PLAIN <<AGFsaWNlAHNlY3JldA==>>
S: a1 OK [CAPABILITY IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE SORT SORT=DISPLAY THREAD=REFERENCES THREAD=REFS THREAD=ORDEREDSUBJECT MULTIAPPEND URL-PARTIAL CATENATE UNSELECT CHILDREN NAMESPACE UIDPLUS LIST-EXTENDED I18NLEVEL=1 CONDSTORE QRESYNC ESEARCH ESORT SEARCHRES WITHIN CONTEXT=SEARCH LIST-STATUS BINARY MOVE SNIPPET=FUZZY PREVIEW=FUZZY PREVIEW STATUS=SIZE SAVEDATE LITERAL+ NOTIFY SPECIAL-USE] Logged in
E: done a1 AUTHENTICATE OK [CAPABILITY *] Logged in
X: select INBOX qresync=1795368962,4
E: refused unsupported: QRESYNC is not enabled
X: enable QRESYNC
C: a2 ENABLE QRESYNC
S: * ENABLED QRESYNC
S: a2 OK Enabled (0.001 + 0.000 secs).
E: data ENABLED (QRESYNC)
E: done a2 ENABLE OK *
X: select INBOX qresync=1795368962,4,1:4
C: a3 SELECT INBOX (QRESYNC (1795368962 4 1:4))
S: * FLAGS (\Answered \Flagged \Deleted \Seen \Draft)
S: * OK [PERMANENTFLAGS (\Answered \Flagged \Deleted \Seen \Draft \*)] Flags permitted.
S: * 2 EXISTS
S: * 0 RECENT
S: * OK [UNSEEN 1] First unseen.
S: * OK [UIDVALIDITY 1795368962] UIDs valid
S: * OK [UIDNEXT 5] Predicted next UID
S: * OK [HIGHESTMODSEQ 10] Highest
S: * VANISHED (EARLIER) 1,3
S: * 1 FETCH (UID 2 FLAGS () MODSEQ (9))
S: * 2 FETCH (UID 4 FLAGS () MODSEQ (10))
S: a3 OK [READ-WRITE] Select completed (0.001 + 0.000 secs).
E: data FLAGS *
E: notice OK [PERMANENTFLAGS *
E: exists 2
E: data 0 RECENT
E: notice OK [UNSEEN 1] First unseen.
E: notice OK [UIDVALIDITY 1795368962] UIDs valid
E: notice OK [UIDNEXT 5] Predicted next UID
E: notice OK [HIGHESTMODSEQ 10] Highest
E: vanished earlier 1,3
E: fetch FETCH 1 uid=2 flags=()=0 modseq=9
E: fetch FETCH 2 uid=4 flags=()=0 modseq=10
E: done a3 SELECT OK [READ-WRITE] *
X: show-state
E: state SELECTED tls=1 caps-known=1 in-flight=0 exists=2 recent=0 uidvalidity=1795368962 uidnext=5 unseen=1 highestmodseq=10 permanentflags=0x9f read-only=0
X: select Archive examine qresync=1795368964,1
C: a4 EXAMINE Archive (QRESYNC (1795368964 1))
# An update about INBOX, still selected until [CLOSED], is not about Archive.
S: * 2 EXPUNGE
S: * OK [CLOSED] Previous mailbox closed.
S: * FLAGS (\Answered \Flagged \Deleted \Seen \Draft)
S: * OK [PERMANENTFLAGS ()] Read-only mailbox.
S: * 2 EXISTS
S: * 2 RECENT
S: * OK [UNSEEN 2] First unseen.
S: * OK [UIDVALIDITY 1795368964] UIDs valid
S: * OK [UIDNEXT 3] Predicted next UID
S: * OK [HIGHESTMODSEQ 2] Highest
S: * 1 FETCH (UID 1 FLAGS (\Seen \Recent) MODSEQ (2))
S: * 2 FETCH (UID 2 FLAGS (\Flagged \Recent) MODSEQ (2))
S: a4 OK [READ-ONLY] Examine completed (0.001 + 0.000 secs).
E: notice OK [CLOSED] Previous mailbox closed.
E: data FLAGS *
E: notice OK [PERMANENTFLAGS ()=0] Read-only mailbox.
E: exists 2
E: data 2 RECENT
E: notice OK [UNSEEN 2] *
E: notice OK [UIDVALIDITY 1795368964] *
E: notice OK [UIDNEXT 3] *
E: notice OK [HIGHESTMODSEQ 2] *
E: fetch FETCH 1 uid=1 flags=(\\Seen \\Recent)=0x21 modseq=2
E: fetch FETCH 2 uid=2 flags=(\\Flagged \\Recent)=0x24 modseq=2
E: done a4 EXAMINE OK [READ-ONLY] Examine completed (0.001 + 0.000 secs).
X: show-state
E: state SELECTED tls=1 caps-known=1 in-flight=0 exists=2 recent=2 uidvalidity=1795368964 uidnext=3 unseen=2 highestmodseq=2 permanentflags=0 read-only=1
X: uid-fetch 1 "UID BODY.PEEK[]"
C: a5 UID FETCH 1 (UID BODY.PEEK[])
S: * 1 FETCH (UID 1 BODY[] {1364}
S: From: =?UTF-8?Q?J=C3=B6rg_M=C3=BCller?= <joerg@example.org>
S: To: Alice <alice@example.com>, bob@example.net
S: Cc: undisclosed-recipients:;
S: Subject: =?UTF-8?B?UmU6IGNhZsOpIG1lZXRpbmc=?=
S: Date: Tue, 14 Nov 2023 09:12:45 +0100
S: Message-ID: <20231114.1@example.org>
S: In-Reply-To: <20231113.9@example.com>
S: References: <20231113.1@example.com> <20231113.9@example.com>
S: MIME-Version: 1.0
S: Content-Type: multipart/mixed; boundary="outer"
S: 
S: This is a multi-part message in MIME format.
S: --outer
S: Content-Type: multipart/alternative; boundary="inner"
S: 
S: --inner
S: Content-Type: text/plain; charset=utf-8
S: Content-Transfer-Encoding: quoted-printable
S: 
S: Caf=C3=A9 at ten?
S: --inner
S: Content-Type: text/html; charset=utf-8
S: 
S: <p>Caf&eacute; at ten?</p>
S: --inner--
S: --outer
S: Content-Type: application/pdf; name="agenda.pdf"
S: Content-Disposition: attachment; filename="agenda.pdf"
S: Content-Transfer-Encoding: base64
S: Content-Language: en
S: 
S: JVBERi0xLjQKJcOkw7zDtsOfCjIgMCBvYmoKPDwvTGVuZ3RoIDMgMCBSL0ZpbHRlci9GbGF0ZURl
S: Y29kZT4+CnN0cmVhbQp4nDPQM1Qo5ypUMFAw0DMwslAwtTTVMzI3UzBQSC3iKuQCAEeSBQcKZW5k
S: --outer
S: Content-Type: message/rfc822
S: 
S: From: Bob <bob@example.net>
S: To: alice@example.com
S: Subject: Original
S: Date: Mon, 13 Nov 2023 18:00:00 +0000
S: Message-ID: <20231113.9@example.com>
S: MIME-Version: 1.0
S: Content-Type: text/plain; charset=us-ascii
S: 
S: Shall we meet?
S: --outer--
S: )
S: a5 OK Fetch completed (0.001 + 0.000 secs).
E: chunk CHUNKS 1 uid=1 BODY[] total=1364 "From: =?UTF-8?Q?J=C3=B6rg_M=C3=BCller?= <joerg@example.org>\r\nTo: Alice <alice@example.com>, bob@example.net\r\nCc: undisclosed-recipients:;\r\nSubject: =?UTF-8?B?UmU6IGNhZsOpIG1lZXRpbmc=?=\r\nDate: Tue, 14 Nov 2023 09:12:45 +0100\r\nMessage-ID: <20231114.1@example.org>\r\nIn-Reply-To: <20231113.9@example.com>\r\nReferences: <20231113.1@example.com> <20231113.9@example.com>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"outer\"\r\n\r\nThis is a multi-part message in MIME format.\r\n--outer\r\nContent-Type: multipart/alternative; boundary=\"inner\"\r\n\r\n--inner\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nCaf=C3=A9 at ten?\r\n--inner\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>Caf&eacute; at ten?</p>\r\n--inner--\r\n--outer\r\nContent-Type: application/pdf; name=\"agenda.pdf\"\r\nContent-Disposition: attachment; filename=\"agenda.pdf\"\r\nContent-Transfer-Encoding: base64\r\nContent-Language: en\r\n\r\nJVBERi0xLjQKJcOkw7zDtsOfCjIgMCBvYmoKPDwvTGVuZ3RoIDMgMCBSL0ZpbHRlci9GbGF0ZURl\r\nY29kZT4+CnN0cmVhbQp4nDPQM1Qo5ypUMFAw0DMwslAwtTTVMzI3UzBQSC3iKuQCAEeSBQcKZW5k\r\n--outer\r\nContent-Type: message/rfc822\r\n\r\nFrom: Bob <bob@example.net>\r\nTo: alice@example.com\r\nSubject: Original\r\nDate: Mon, 13 Nov 2023 18:00:00 +0000\r\nMessage-ID: <20231113.9@example.com>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\nShall we meet?\r\n--outer--\r\n"
E: fetch FETCH 1 uid=1 BODY[]=<streamed 1364>
E: done a5 UID FETCH OK Fetch completed (0.001 + 0.000 secs).
X: unselect
C: a6 UNSELECT
S: a6 OK Unselect completed (0.001 + 0.000 secs).
E: done a6 UNSELECT OK *
X: show-state
E: state AUTHENTICATED tls=1 caps-known=1 in-flight=0
X: logout
C: a7 LOGOUT
S: * BYE Logging out
S: a7 OK Logout completed (0.001 + 0.000 secs).
E: bye Logging out
E: done a7 LOGOUT OK *

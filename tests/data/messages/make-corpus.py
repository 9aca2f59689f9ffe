#!/usr/bin/env python3
# Writes the MIME corpus of this directory and its reference, expected.tsv:
#   python3 make-corpus.py tests/data/messages
# Messages that need exact bytes in a charset (KOI8-R, Shift_JIS, ...) are
# easier to write here than in an editor.  The reference values (subject,
# sender, date, attachment names) are written by hand from what each message
# says, never taken from petrel's output: test-mime-corpus checks petrel
# against them.
import base64, os, quopri, sys
OUT = sys.argv[1]
files = {}
expected = []   # (file, subject, from_name, from_addr, date, files)

def b64w(charset, text):
    return "=?%s?B?%s?=" % (charset, base64.b64encode(text.encode(charset)).decode())

def add(name, data, subject, from_name, from_addr, date=0, fnames=""):
    if isinstance(data, str):
        data = data.encode("utf-8")
    files[name] = data
    expected.append((name, subject, from_name, from_addr, str(date), fnames))

def hdr(subject_raw, from_raw, extra="", date="Tue, 01 Jul 2003 10:52:37 +0200"):
    h = ""
    if from_raw is not None:
        h += "From: " + from_raw + "\n"
    h += "To: Bob <bob@example.net>\n"
    if subject_raw is not None:
        h += "Subject: " + subject_raw + "\n"
    if date:
        h += "Date: " + date + "\n"
    h += "Message-ID: <m%d@example.org>\n" % len(files)
    h += extra
    return h

D = 1057049557  # Tue, 01 Jul 2003 10:52:37 +0200

add("01-plain-ascii.eml",
    hdr("Hello there", "Alice Example <alice@example.org>") +
    "MIME-Version: 1.0\nContent-Type: text/plain; charset=us-ascii\n\nJust a plain note.\n",
    "Hello there", "Alice Example", "alice@example.org", D)

add("02-utf8-8bit.eml",
    hdr("=?UTF-8?B?R3LDvMOfZSBhdXMgS8O2bG4=?=", "=?utf-8?q?J=C3=BCrgen_M=C3=BCller?= <jm@example.de>") +
    "MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n"
    "Schöne Grüße aus Köln.\n",
    "Grüße aus Köln", "Jürgen Müller", "jm@example.de", D)

body = "Un café crème, s'il vous plaît.\n".encode("iso-8859-1")
add("03-latin1-qp.eml",
    (hdr("=?ISO-8859-1?Q?caf=E9_cr=E8me?=", "=?iso-8859-1?q?Fran=E7ois?= <francois@example.fr>") +
     "MIME-Version: 1.0\nContent-Type: text/plain; charset=ISO-8859-1\nContent-Transfer-Encoding: quoted-printable\n\n").encode()
    + quopri.encodestring(body),
    "café crème", "François", "francois@example.fr", D)

add("04-latin9.eml",
    (hdr("=?ISO-8859-15?Q?Prix_=A4_100?=", "Shop <shop@example.fr>") +
     "MIME-Version: 1.0\nContent-Type: text/plain; charset=iso-8859-15\nContent-Transfer-Encoding: 8bit\n\n").encode()
    + "Le prix est de 100 € (Œuvre).\n".encode("iso-8859-15"),
    "Prix € 100", "Shop", "shop@example.fr", D)

add("05-windows-1252.eml",
    (hdr("=?windows-1252?Q?=93quoted=94_text?=", "Word User <word@example.com>") +
     "MIME-Version: 1.0\nContent-Type: text/plain; charset=windows-1252\nContent-Transfer-Encoding: 8bit\n\n").encode()
    + "He said “hello” – twice… €5\n".encode("cp1252"),
    "“quoted” text", "Word User", "word@example.com", D)

add("06-koi8r.eml",
    (hdr(b64w("koi8-r", "Привет"), b64w("koi8-r", "Иван Петров") + " <ivan@example.ru>") +
     "MIME-Version: 1.0\nContent-Type: text/plain; charset=KOI8-R\nContent-Transfer-Encoding: base64\n\n").encode()
    + base64.encodebytes("Привет, мир!\n".encode("koi8-r")),
    "Привет", "Иван Петров", "ivan@example.ru", D)

add("07-shift-jis.eml",
    (hdr(b64w("shift_jis", "こんにちは"), b64w("shift_jis", "山田太郎") + " <yamada@example.jp>") +
     "MIME-Version: 1.0\nContent-Type: text/plain; charset=Shift_JIS\nContent-Transfer-Encoding: 8bit\n\n").encode()
    + "こんにちは、世界。\n".encode("shift_jis"),
    "こんにちは", "山田太郎", "yamada@example.jp", D)

add("08-iso-2022-jp.eml",
    (hdr(b64w("iso-2022-jp", "日本語の件名"), b64w("iso-2022-jp", "鈴木") + " <suzuki@example.jp>") +
     "MIME-Version: 1.0\nContent-Type: text/plain; charset=ISO-2022-JP\nContent-Transfer-Encoding: 7bit\n\n").encode()
    + "日本語の本文です。\n".encode("iso-2022-jp"),
    "日本語の件名", "鈴木", "suzuki@example.jp", D)

add("09-gb2312.eml",
    (hdr(b64w("gb2312", "你好世界"), b64w("gb2312", "王小明") + " <wang@example.cn>") +
     "MIME-Version: 1.0\nContent-Type: text/plain; charset=GB2312\nContent-Transfer-Encoding: base64\n\n").encode()
    + base64.encodebytes("你好，世界！\n".encode("gb2312")),
    "你好世界", "王小明", "wang@example.cn", D)

gbk_subj = "中文测试 镕"   # U+9555 is in GBK but not in GB2312
add("10-gbk.eml",
    (hdr(b64w("gbk", gbk_subj), "Li <li@example.cn>") +
     "MIME-Version: 1.0\nContent-Type: text/plain; charset=GBK\nContent-Transfer-Encoding: 8bit\n\n").encode()
    + "朱镕基\n".encode("gbk"),
    gbk_subj, "Li", "li@example.cn", D)

add("11-big5.eml",
    (hdr(b64w("big5", "繁體中文"), b64w("big5", "陳大文") + " <chan@example.tw>") +
     "MIME-Version: 1.0\nContent-Type: text/plain; charset=Big5\nContent-Transfer-Encoding: 8bit\n\n").encode()
    + "繁體中文測試。\n".encode("big5"),
    "繁體中文", "陳大文", "chan@example.tw", D)

# Adjacent encoded words: the white space between them is not shown.
add("12-rfc2047-adjacent.eml",
    hdr("=?utf-8?q?Hello?= =?utf-8?q?_World?= =?iso-8859-1?q?_=E0_bient=F4t?=",
        "=?utf-8?q?Ann?=\n =?utf-8?q?_Smith?= <ann@example.org>") +
    "\nbody\n",
    "Hello World à bientôt", "Ann Smith", "ann@example.org", D)

# The euro sign E2 82 AC split over two words (E2 | 82 AC).
add("13-rfc2047-split-char.eml",
    hdr("=?UTF-8?B?4g==?= =?UTF-8?B?gqw=?= 100", "Euro <euro@example.org>") + "\nbody\n",
    "€ 100", "Euro", "euro@example.org", D)

# A label nobody knows: UTF-8 bytes still read as UTF-8; latin1 bytes as windows-1252.
add("14-rfc2047-bad-charset.eml",
    hdr("=?x-bogus?Q?caf=C3=A9?=", "=?unknown-8bit?q?Ren=E9?= <rene@example.org>") + "\nbody\n",
    "café", "René", "rene@example.org", D)

# Malformed words: one that decodes to nothing is shown as sent; an
# unterminated one is not a word at all.
add("15-rfc2047-malformed.eml",
    hdr("=?utf-8?B?!!!!?=", "=?utf-8?q?unterminated <x@example.org>") + "\nbody\n",
    "=?utf-8?B?!!!!?=", "=?utf-8?q?unterminated", "x@example.org", D)

add("16-rfc2231.eml",
    hdr("RFC 2231 continuations", "Params <params@example.org>") +
    "MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"XX\"\n\n"
    "--XX\nContent-Type: text/plain\n\nSee attached.\n"
    "--XX\nContent-Type: application/pdf;\n name*0*=UTF-8''%E2%82%AC%20rates;\n name*1*=%202024.pdf\n"
    "Content-Disposition: attachment;\n filename*0*=UTF-8''%E2%82%AC%20rates;\n filename*1*=%202024.pdf\n"
    "Content-Transfer-Encoding: base64\n\nJVBERi0xLjQK\n"
    "--XX\nContent-Type: text/plain; name*=iso-8859-1'fr'r%E9sum%E9.txt\n"
    "Content-Disposition: attachment; filename*=iso-8859-1'fr'r%E9sum%E9.txt\n\nCV\n"
    "--XX--\n",
    "RFC 2231 continuations", "Params", "params@example.org", D, "€ rates 2024.pdf|résumé.txt")

add("17-broken-base64.eml",
    hdr("Broken base64", "B64 <b64@example.org>") +
    "MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n\n"
    "SGVsbG8g!!!V29ybGQh\nIFRoaXMg*aXMg\nYnJva2Vu\nLi4u\nQ\n",
    "Broken base64", "B64", "b64@example.org", D)

add("18-broken-qp.eml",
    hdr("Broken quoted-printable", "QP <qp@example.org>") +
    "MIME-Version: 1.0\nContent-Type: text/plain; charset=iso-8859-1\nContent-Transfer-Encoding: quoted-printable\n\n"
    "caf=E9 =ZZ bad =\nsoft break=20\nlone = sign\nend =4",
    "Broken quoted-printable", "QP", "qp@example.org", D)

add("19-missing-close-boundary.eml",
    hdr("Missing closing boundary", "Trunc <trunc@example.org>") +
    "MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"b1\"\n\n"
    "--b1\nContent-Type: text/plain\n\nfirst part\n"
    "--b1\nContent-Type: application/octet-stream; name=\"data.bin\"\nContent-Transfer-Encoding: base64\n\nAAEC\nAwQF\n",
    "Missing closing boundary", "Trunc", "trunc@example.org", D, "data.bin")

add("20-undeclared-boundary.eml",
    hdr("Boundary never declared", "NoBound <nobound@example.org>") +
    "MIME-Version: 1.0\nContent-Type: multipart/mixed\n\n"
    "--zz\nContent-Type: text/plain\n\nhidden text\n--zz--\n",
    "Boundary never declared", "NoBound", "nobound@example.org", D)

def nested(n, leaf="innermost text\n"):
    s = "Content-Type: multipart/mixed; boundary=\"n0\"\n\n"
    for i in range(n - 1):
        s += "--n%d\nContent-Type: multipart/mixed; boundary=\"n%d\"\n\n" % (i, i + 1)
    s += "--n%d\nContent-Type: text/plain\n\n%s--n%d--\n" % (n - 1, leaf, n - 1)
    for i in range(n - 2, -1, -1):
        s += "--n%d--\n" % i
    return s

add("21-nested-5.eml",
    hdr("Nested five deep", "Deep <deep@example.org>") + "MIME-Version: 1.0\n" + nested(5),
    "Nested five deep", "Deep", "deep@example.org", D)

add("22-nested-200.eml",
    hdr("Nested 200 deep", "Deeper <deeper@example.org>") + "MIME-Version: 1.0\n" + nested(200),
    "Nested 200 deep", "Deeper", "deeper@example.org", D)

recv = "".join("Received: by h%d\n" % i for i in range(10000))
add("23-huge-header.eml",
    "Received: from first.example.org\n" + recv +
    hdr("A" * 200000, "Huge <huge@example.org>") + "\nsmall body\n",
    "{A*1024}…", "Huge", "huge@example.org", D)

add("24-nul-bytes.eml",
    hdr("nul\x00in subject", "Nul <nul@example.org>") +
    "Content-Type: text/plain; charset=us-ascii\n\nbody with \x00 a nul byte\n",
    "nul^@in subject", "Nul", "nul@example.org", D)

add("25-8bit-raw-headers.eml",
    b"From: Andr\xe9 Durand <andre@example.fr>\nTo: bob@example.net\n"
    + "Subject: Grüße raw\n".encode() + b"Date: Tue, 01 Jul 2003 10:52:37 +0200\n\nbody\n",
    "Grüße raw", "André Durand", "andre@example.fr", D)

add("26-escapes.eml",
    "From: \"Evil\x1b[31m Red\" <evil@example.org>\nTo: bob@example.net\n"
    "Subject: =?UTF-8?Q?=1B]0;pwned=07?= and \x1b[2J raw\nDate: Tue, 01 Jul 2003 10:52:37 +0200\n"
    "MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"e\"\n\n"
    "--e\nContent-Type: text/plain; charset=utf-8\n\nclear screen \x1b[2J title \x1b]0;pwned\x07 csi \u009b31m done\n"
    "--e\nContent-Type: text/plain; name=\"x.txt\"\n"
    "Content-Disposition: attachment; filename*=utf-8''evil%1B%5D0%3Bx%07.txt\n\nx\n--e--\n",
    "^[]0;pwned^G and ^[[2J raw", "Evil^[[31m Red", "evil@example.org", D, "evil^[]0;x^G.txt")

add("27-c1-controls.eml",
    b"From: =?utf-8?b?wptib3NzwpsgPGMxPg==?= <c1@example.org>\nTo: bob@example.net\n"
    b"Subject: raw \x9b byte and =?utf-8?q?encoded_=C2=9B_C1?=\n"
    b"Date: Tue, 01 Jul 2003 10:52:37 +0200\nContent-Type: text/plain; charset=utf-8\n\nc1 \xc2\x9b\xc2\x85 in body\n",
    "raw › byte and encoded <U+009B> C1", "<U+009B>boss<U+009B> <c1>", "c1@example.org", D)

add("28-bidi-filename.eml",
    hdr("Invoice attached", "Billing <billing@example.com>") +
    "MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"bd\"\n\n"
    "--bd\nContent-Type: text/plain\n\nPlease pay.\n"
    "--bd\nContent-Type: application/octet-stream\n"
    "Content-Disposition: attachment; filename*=utf-8''invoice%E2%80%AEfdp.exe\n"
    "Content-Transfer-Encoding: base64\n\nTVqQAAMAAAAEAAAA\n--bd--\n",
    "Invoice attached", "Billing", "billing@example.com", D, "invoice<U+202E>fdp.exe")

add("29-traversal-names.eml",
    hdr("Dangerous names", "Trav <trav@example.org>") +
    "MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"tr\"\n\n"
    "--tr\nContent-Type: text/plain\n\nfour attachments\n"
    "--tr\nContent-Type: text/plain\nContent-Disposition: attachment; filename=\"../../.bashrc\"\n\nrm -rf ~\n"
    "--tr\nContent-Type: text/plain\nContent-Disposition: attachment; filename=\"/etc/passwd\"\n\nroot::0:0::/:/bin/sh\n"
    "--tr\nContent-Type: text/plain\nContent-Disposition: attachment; filename=\".hidden\"\n\nhidden\n"
    "--tr\nContent-Type: text/plain\nContent-Disposition: attachment; filename=\"a\\\\b\"\n\nbackslash\n"
    "--tr--\n",
    "Dangerous names", "Trav", "trav@example.org", D, "../../.bashrc|/etc/passwd|.hidden|a\\b")

add("30-no-header.eml", "This message has no header at all.\nJust text.\n", "", "", "", 0)
add("31-empty.eml", "", "", "", "", 0)
add("32-headers-only.eml",
    "From: Only Headers <only@example.org>\nSubject: headers only\nDate: Tue, 01 Jul 2003 10:52:37 +0200\n",
    "headers only", "Only Headers", "only@example.org", D)

add("33-html-only.eml",
    hdr("HTML only", "Newsletter <news@example.com>") +
    "MIME-Version: 1.0\nContent-Type: text/html; charset=utf-8\n\n"
    "<html><head><style>p{color:red}</style><script>alert(1)</script></head>"
    "<body><p>Caf&eacute; &amp; cr&#232;me &lt;tag&gt;</p><p>line&#27;esc</p><br>end</body></html>\n",
    "HTML only", "Newsletter", "news@example.com", D)

add("34-alternative.eml",
    hdr("Alternative", "Alt <alt@example.org>") +
    "MIME-Version: 1.0\nContent-Type: multipart/alternative; boundary=\"alt\"\n\n"
    "--alt\nContent-Type: text/plain; charset=utf-8\n\nplain version\n"
    "--alt\nContent-Type: text/html; charset=utf-8\n\n<p>html version</p>\n--alt--\n",
    "Alternative", "Alt", "alt@example.org", D)

add("35-alternative-related.eml",
    hdr("Alternative with related", "Rel <rel@example.org>") +
    "MIME-Version: 1.0\nContent-Type: multipart/alternative; boundary=\"a1\"\n\n"
    "--a1\nContent-Type: text/plain\n\nplain text\n"
    "--a1\nContent-Type: multipart/related; boundary=\"r1\"\n\n"
    "--r1\nContent-Type: text/html\n\n<img src=\"cid:logo\">html</p>\n"
    "--r1\nContent-Type: image/png; name=logo.png\nContent-ID: <logo>\nContent-Transfer-Encoding: base64\n\niVBORw0KGgo=\n"
    "--r1--\n--a1--\n",
    "Alternative with related", "Rel", "rel@example.org", D, "logo.png")

add("36-rfc822-attachment.eml",
    hdr("Fwd: inner subject", "Forwarder <fwd@example.org>") +
    "MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"f\"\n\n"
    "--f\nContent-Type: text/plain\n\nsee the forwarded message\n"
    "--f\nContent-Type: message/rfc822\n\n"
    "From: =?utf-8?q?Inn=C3=A9r?= <inner@example.org>\nSubject: inner subject\nMIME-Version: 1.0\n"
    "Content-Type: multipart/mixed; boundary=\"g\"\n\n"
    "--g\nContent-Type: text/plain\n\ninner body\n"
    "--g\nContent-Type: text/plain; name=\"inner.txt\"\nContent-Disposition: attachment\n\ninner attachment\n--g--\n"
    "--f--\n",
    "Fwd: inner subject", "Forwarder", "fwd@example.org", D, "inner.txt")

add("37-signed.eml",
    hdr("Signed message", "Signer <signer@example.org>") +
    "MIME-Version: 1.0\nContent-Type: multipart/signed; micalg=pgp-sha256; protocol=\"application/pgp-signature\"; boundary=\"s\"\n\n"
    "--s\nContent-Type: text/plain; charset=us-ascii\n\nsigned text\n"
    "--s\nContent-Type: application/pgp-signature; name=\"signature.asc\"\n\n"
    "-----BEGIN PGP SIGNATURE-----\n\niQEzBAEBCAAdFiEE\n=abcd\n-----END PGP SIGNATURE-----\n--s--\n",
    "Signed message", "Signer", "signer@example.org", D, "signature.asc")

add("38-mixed-attachments.eml",
    hdr("Report and photo", "Reporter <rep@example.org>") +
    "MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"m\"\n\n"
    "--m\nContent-Type: text/plain; charset=us-ascii\n\nAttached: report and photo.\n"
    "--m\nContent-Type: application/pdf; name=\"report.pdf\"\nContent-Disposition: attachment; filename=\"report.pdf\"\n"
    "Content-Transfer-Encoding: base64\n\nJVBERi0xLjQKJcOkw7zDtsOfCjIgMCBvYmoKPDwvTGVuZ3RoIDMgMCBSPj4Kc3RyZWFtCg==\n"
    "--m\nContent-Type: image/jpeg; name=\"photo.jpg\"\nContent-Disposition: inline; filename=\"photo.jpg\"\n"
    "Content-Transfer-Encoding: base64\n\n/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP8=\n--m--\n",
    "Report and photo", "Reporter", "rep@example.org", D, "report.pdf|photo.jpg")

add("39-list-headers.eml",
    hdr("Re: [list] thread", "Member <member@example.org>",
        "In-Reply-To: <parent@example.org> (comment)\nReferences: <root@example.org>\n <parent@example.org>\n"
        "List-Post: <mailto:list@lists.example.org?subject=hi>\n") + "\nreply\n",
    "Re: [list] thread", "Member", "member@example.org", D)

add("40-group-address.eml",
    hdr("From a group", "Team: carol@example.org, dave@example.org;") + "\nbody\n",
    "From a group", "carol@example.org", "carol@example.org", D)

add("41-folded-subject.eml",
    hdr("This subject is\n\tfolded over\n   three lines", "Folder <fold@example.org>") + "\nbody\n",
    "This subject is folded over   three lines", "Folder", "fold@example.org", D)

add("42-utf7-body.eml",
    hdr("UTF-7 body", "Seven <seven@example.org>") +
    "MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-7\n\nHi Mom -+Jjo--!\n",
    "UTF-7 body", "Seven", "seven@example.org", D)

add("43-no-charset-8bit.eml",
    (hdr("No charset, 8-bit body", "Legacy <legacy@example.org>") +
     "MIME-Version: 1.0\nContent-Type: text/plain\nContent-Transfer-Encoding: 8bit\n\n").encode()
    + "naïve café\n".encode("latin-1"),
    "No charset, 8-bit body", "Legacy", "legacy@example.org", D)

add("44-wrong-label-utf8-is-latin1.eml",
    (hdr("Label says UTF-8", "Liar <liar@example.org>") +
     "MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n").encode()
    + "Grüße, déjà vu, ça va? Ünïcödé everywhere.\n".encode("latin-1"),
    "Label says UTF-8", "Liar", "liar@example.org", D)

add("45-wrong-label-latin1-is-utf8.eml",
    hdr("Label says latin1", "Liar Two <liar2@example.org>") +
    "MIME-Version: 1.0\nContent-Type: text/plain; charset=iso-8859-1\nContent-Transfer-Encoding: 8bit\n\n"
    "Grüße aus Köln\n",
    "Label says latin1", "Liar Two", "liar2@example.org", D)

add("46-unknown-charset.eml",
    (hdr("Unknown charset", "Odd <odd@example.org>") +
     "MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"u\"\n\n"
     "--u\nContent-Type: text/plain; charset=x-no-such-charset\n\nplain ascii\n"
     "--u\nContent-Type: text/plain; charset=x-no-such-charset\n\n").encode()
    + "8-bit: Straße\n".encode("latin-1") + b"--u--\n",
    "Unknown charset", "Odd", "odd@example.org", D)

add("47-many-parts.eml",
    hdr("Many parts", "Many <many@example.org>") +
    "MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"p\"\n\n" +
    "--p\nContent-Type: text/plain\n\nx\n" * 1500 + "--p--\n",
    "Many parts", "Many", "many@example.org", D)

def rfc822_chain(n):
    s = ""
    for i in range(n):
        s += "From: level%d@example.org\nSubject: level %d\nContent-Type: message/rfc822\n\n" % (i, i)
    s += "From: bottom@example.org\nSubject: bottom\n\nbottom text\n"
    return s

add("48-deep-rfc822.eml",
    hdr("Deep forward chain", "Chain <chain@example.org>") + "MIME-Version: 1.0\nContent-Type: message/rfc822\n\n" +
    rfc822_chain(80),
    "Deep forward chain", "Chain", "chain@example.org", D)

refs = " ".join("<r%d@example.org>" % i for i in range(300))
add("49-long-references.eml",
    hdr("Long thread", "Thread <thread@example.org>", "References: " + refs + "\n") + "\nbody\n",
    "Long thread", "Thread", "thread@example.org", D)

add("50-crlf.eml",
    (hdr("=?utf-8?q?CRLF_line_ends_=E2=9C=93?=", "Windows <win@example.org>") +
     "MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\nline one\nline two\n").replace("\n", "\r\n"),
    "CRLF line ends ✓", "Windows", "win@example.org", D)

add("51-date-no-weekday.eml",
    hdr("Date without weekday", "Clock <clock@example.org>", date="1 Jul 2003 10:52:37 GMT") + "\nbody\n",
    "Date without weekday", "Clock", "clock@example.org", 1057056757)

add("52-bad-date.eml",
    hdr("Unreadable date", "Clock <clock@example.org>", date="99999999999 Jan 1970") + "\nbody\n",
    "Unreadable date", "Clock", "clock@example.org", 0)

add("53-base64-attachment-name-2047.eml",
    hdr("Encoded-word file name", "Outlook <ol@example.com>") +
    "MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"o\"\n\n"
    "--o\nContent-Type: text/plain\n\nsee file\n"
    "--o\nContent-Type: application/vnd.ms-excel; name=\"=?utf-8?B?w5xiZXJzaWNodC54bHM=?=\"\n"
    "Content-Disposition: attachment; filename=\"=?utf-8?B?w5xiZXJzaWNodC54bHM=?=\"\n"
    "Content-Transfer-Encoding: base64\n\n0M8R4KGxGuE=\n--o--\n",
    "Encoded-word file name", "Outlook", "ol@example.com", D, "Übersicht.xls")

import binascii
add("54-uuencode.eml",
    hdr("Uuencoded attachment", "Old Timer <old@example.org>") +
    "MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"uu\"\n\n"
    "--uu\nContent-Type: text/plain\n\nsee file\n"
    "--uu\nContent-Type: application/octet-stream; name=\"old.bin\"\nContent-Transfer-Encoding: x-uuencode\n\n"
    "begin 644 old.bin\n" + binascii.b2a_uu(bytes(range(40))).decode() + "`\nend\n--uu--\n",
    "Uuencoded attachment", "Old Timer", "old@example.org", D, "old.bin")

os.makedirs(OUT, exist_ok=True)
for name, data in files.items():
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(data)
with open(os.path.join(OUT, "expected.tsv"), "w", encoding="utf-8") as f:
    f.write("# Reference for the corpus: what each message must show, written by hand.\n"
            "# file<TAB>subject<TAB>sender name<TAB>sender address<TAB>date (time_t, 0 unknown)<TAB>"
            "attachment file names as displayed, |-separated\n"
            "# Values are after sanitising (^[ for ESC, <U+009B> for C1 and bidi controls).\n"
            "# {X*N} stands for N copies of X.\n")
    for row in expected:
        for v in row:
            assert "\t" not in v and "\n" not in v, row
        f.write("\t".join(row) + "\n")
print(len(files), "messages")

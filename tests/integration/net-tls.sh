#!/bin/sh
# src/net against the real servers of the harness: TLS certificate and
# host name verification, implicit TLS and STARTTLS for IMAP, POP3 and
# SMTP submission.
set -u
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/integration/net-lib.sh"
. "$top_srcdir/tests/harness/harness.sh"
harness_start || bail "the test servers did not start"
H=$HARNESS_HOST
CA=$HARNESS_CA
trap 'rm -rf "$net_tmp"; harness_stop' EXIT

# Implicit TLS, verified against tls_ca_file.
probe --proto imap --host "$H" --port "$HARNESS_IMAPS_PORT" --tls implicit --ca "$CA"
check_eq "IMAPS with the CA: exit 0" "$rc" 0
check_contains "IMAPS with the CA: TLS is on" "$out" "ok imap $H:$HARNESS_IMAPS_PORT tls=TLSv1."

# Without the CA: the system store does not know the test CA.
probe --proto imap --host "$H" --port "$HARNESS_IMAPS_PORT" --tls implicit
check_eq "IMAPS without the CA: a TLS error (exit 18)" "$rc" 18
check_eq "IMAPS without the CA: one clear line naming the server" "$errout" \
	"petrel: $H:$HARNESS_IMAPS_PORT: certificate verification failed: unable to get local issuer certificate (set tls_ca_file to trust a private CA)"
check_eq "IMAPS without the CA: nothing on stdout" "$out" ""

# Host names: localhost is in the certificate, another name is not.
probe --proto imap --host localhost --port "$HARNESS_IMAPS_PORT" --tls implicit --ca "$CA"
check_eq "IMAPS by the name localhost verifies" "$rc" 0
check_contains "IMAPS by the name localhost: peer named so" "$out" "ok imap localhost:$HARNESS_IMAPS_PORT tls=TLSv1."
probe --proto imap --host wrong.petrel.test --connect-to "$H" --port "$HARNESS_IMAPS_PORT" \
	--tls implicit --ca "$CA"
check_eq "IMAPS under a name the certificate lacks: TLS error" "$rc" 18
check_eq "IMAPS under a name the certificate lacks: the sentence" "$errout" \
	"petrel: wrong.petrel.test:$HARNESS_IMAPS_PORT: certificate verification failed: hostname mismatch (the certificate is not valid for wrong.petrel.test)"
probe --proto imap --host ::ffff:127.0.0.1 --connect-to "$H" --port "$HARNESS_IMAPS_PORT" \
	--tls implicit --ca "$CA"
check_eq "IMAPS under an address the certificate lacks: TLS error" "$rc" 18
check_contains "IMAPS under an address the certificate lacks: the sentence" "$errout" \
	"certificate verification failed: IP address mismatch"

# tls_verify=no: connects, and says so.
probe --proto imap --host wrong.petrel.test --connect-to "$H" --port "$HARNESS_IMAPS_PORT" \
	--tls implicit --no-verify
check_eq "tls_verify=no connects anyway" "$rc" 0
check_contains "tls_verify=no warns" "$errout" \
	"petrel: warning: wrong.petrel.test:$HARNESS_IMAPS_PORT: TLS certificate verification is off (tls_verify=no)"

# STARTTLS for each protocol, required.
probe --proto imap --host "$H" --port "$HARNESS_IMAP_PORT" --tls starttls --starttls-required --ca "$CA"
check_eq "IMAP STARTTLS: exit 0" "$rc" 0
check_contains "IMAP STARTTLS: TLS is on" "$out" "tls=TLSv1."
check_contains "IMAP STARTTLS: capabilities asked again over TLS" "$out" "AUTH=PLAIN"
probe --proto pop3 --host "$H" --port "$HARNESS_POP3_PORT" --tls starttls --starttls-required --ca "$CA"
check_eq "POP3 STLS: exit 0" "$rc" 0
check_contains "POP3 STLS: TLS is on" "$out" "ok pop3 $H:$HARNESS_POP3_PORT tls=TLSv1."
probe --proto smtp --host "$H" --port "$HARNESS_SUBMISSION_PORT" --tls starttls --starttls-required --ca "$CA"
check_eq "submission STARTTLS: exit 0" "$rc" 0
check_contains "submission STARTTLS: TLS is on" "$out" "ok smtp $H:$HARNESS_SUBMISSION_PORT tls=TLSv1."
check_contains "submission STARTTLS: AUTH offered over TLS" "$out" "AUTH PLAIN"
probe --proto smtp --host "$H" --port "$HARNESS_SMTP_PORT" --tls starttls --starttls-required --ca "$CA"
check_eq "SMTP (port 25) STARTTLS: exit 0" "$rc" 0

# STARTTLS verifies the certificate too.
probe --proto pop3 --host "$H" --port "$HARNESS_POP3_PORT" --tls starttls --starttls-required
check_eq "POP3 STLS without the CA: TLS error" "$rc" 18
check_eq "POP3 STLS without the CA: one line" "$(lines "$errout")" 1
check_contains "POP3 STLS without the CA: the sentence" "$errout" \
	"petrel: $H:$HARNESS_POP3_PORT: certificate verification failed:"

# The other implicit-TLS ports.
probe --proto pop3 --host "$H" --port "$HARNESS_POP3S_PORT" --tls implicit --ca "$CA"
check_eq "POP3S: exit 0" "$rc" 0
probe --proto smtp --host "$H" --port "$HARNESS_SMTPS_PORT" --tls implicit --ca "$CA"
check_eq "SMTPS: exit 0" "$rc" 0

# TLS against a plain-text port says what is likely wrong.
probe --proto imap --host "$H" --port "$HARNESS_IMAP_PORT" --tls implicit --ca "$CA"
check_eq "implicit TLS on the plain IMAP port: TLS error" "$rc" 18
check_contains "implicit TLS on the plain IMAP port: the hint" "$errout" \
	"(is the server speaking plain text on this port? check the account's TLS setting)"

finish

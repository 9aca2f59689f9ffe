#!/bin/sh
# Installs everything petrel needs to build, test and benchmark on Debian 12.
# The one list of packages: the README, .ci/run and bench/ all use this script.
set -eu

packages="
  build-essential autoconf automake libtool pkg-config gettext autopoint
  libncurses-dev libssl-dev openssl libgmime-3.0-dev libglib2.0-dev
  libnotmuch-dev notmuch libgsasl-dev liblmdb-dev lmdb-utils zlib1g-dev libidn2-dev
  dovecot-core dovecot-imapd dovecot-pop3d dovecot-lmtpd
  postfix
  clang libclang-rt-14-dev llvm
  tmux python3 ca-certificates locales file procps
  strace
"

SUDO=
if [ "$(id -u)" -ne 0 ]; then
  SUDO=sudo
fi

export DEBIAN_FRONTEND=noninteractive
# Postfix must not ask questions and must not try to run a system instance:
# the test harness starts its own, with its own configuration directory.
echo "postfix postfix/main_mailer_type select No configuration" | $SUDO debconf-set-selections
$SUDO apt-get update </dev/null
# shellcheck disable=SC2086
$SUDO apt-get install -y --no-install-recommends $packages </dev/null
# The TUI tests and the quick start want a UTF-8 locale.
if ! locale -a 2>/dev/null | grep -qi '^C\.utf-\?8$'; then
  :
fi

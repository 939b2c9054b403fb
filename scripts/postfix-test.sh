#!/usr/bin/env bash
# A real local mail system for consultd-mail's tests and benchmark: Debian's postfix, installed
# non-interactively ("Local only") when missing, configured to deliver each notice address of
# the example.vn domain to ~/Maildir/ of a local account, and started without systemd.
#
#   scripts/postfix-test.sh start ACCOUNT...       # install, configure, create the accounts, start
#   scripts/postfix-test.sh configure ACCOUNT...   # the same, but leave starting it to the caller
#   scripts/postfix-test.sh stop
#
# An address LOCAL.PART@example.vn is delivered to account cm-LOCAL-PART (office.sxd@example.vn
# to cm-office-sxd, leaders@example.vn to cm-leaders) by a regexp virtual alias map. Postfix logs
# to /var/log/postfix-consultd-test.log (its own postlogd: no syslog needed). Needs root. Changes
# the machine's /etc/postfix/main.cf: meant for a test machine or container.
set -euo pipefail
[ "$(id -u)" -eq 0 ] || { echo "postfix-test: needs root" >&2; exit 77; }

action=${1:-}
case "$action" in
  start|configure) shift ;;
  stop)
    postfix stop >/dev/null 2>&1 || true
    exit 0 ;;
  *) echo "usage: $0 start|configure ACCOUNT... | stop" >&2; exit 64 ;;
esac

if ! command -v postfix >/dev/null || [ ! -x /usr/sbin/sendmail ]; then
  echo "postfix postfix/main_mailer_type select Local only" | debconf-set-selections
  echo "postfix postfix/mailname string localhost" | debconf-set-selections
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postfix >/dev/null
fi

# A fresh /var (a container's): Postfix's queue folders, with their owners and modes.
if [ ! -d /var/spool/postfix/maildrop ]; then
  mkdir -p /var/spool/postfix
  postfix post-install create-missing >/dev/null
fi

cat >/etc/postfix/consultd-test-virtual <<'MAP'
/^([a-z0-9]+)\.([a-z0-9]+)@example\.vn$/ cm-${1}-${2}
/^([a-z0-9]+)@example\.vn$/ cm-${1}
MAP
postconf -e \
  "home_mailbox = Maildir/" \
  "mailbox_command =" \
  "virtual_alias_domains = example.vn" \
  "virtual_alias_maps = regexp:/etc/postfix/consultd-test-virtual" \
  "maillog_file = /var/log/postfix-consultd-test.log" \
  "inet_interfaces = loopback-only" \
  "default_transport = error" \
  "relay_transport = error"
[ -e /etc/aliases ] || echo "postmaster: root" >/etc/aliases
newaliases

for account in "$@"; do
  id "$account" >/dev/null 2>&1 || useradd -m -s /usr/sbin/nologin "$account"
done

[ "$action" = configure ] && exit 0
# What the packaged unit does before it starts Postfix: the chroot's copies of /etc files.
/usr/lib/postfix/configure-instance.sh - >/dev/null 2>&1 || true
if postfix status >/dev/null 2>&1; then
  postfix reload >/dev/null 2>&1
else
  postfix start >/dev/null 2>&1
fi
for _ in $(seq 50); do postfix status >/dev/null 2>&1 && break; sleep 0.1; done
postfix status >/dev/null 2>&1 || { echo "postfix-test: postfix did not start" >&2; tail -20 /var/log/postfix-consultd-test.log >&2 || true; exit 1; }

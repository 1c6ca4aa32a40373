#!/usr/bin/env bash
# Starts Dovecot for the email tests from .ci/dovecot.conf in a temporary
# directory and prints the HUILIU_TEST_IMAP value for them:
#   export HUILIU_TEST_IMAP=$(.ci/dovecot.sh)
# Usage: .ci/dovecot.sh [port] [lmtp-port] [auth-port]
#   (default 14143 14024 14026). Stop it with
#   doveadm -c "$dir/dovecot.conf" stop   (the directory is on stderr).
# With dovecot-lmtpd installed it also takes mail over LMTP on lmtp-port
# and answers SMTP AUTH questions on auth-port (.ci/dovecot-postfix.conf),
# for .ci/smtp.sh's Postfix.
set -euo pipefail
port="${1:-14143}"
lmtpport="${2:-14024}"
authport="${3:-14026}"
if (exec 3<>/dev/tcp/127.0.0.1/"$port") 2>/dev/null; then
  # Already up (an earlier run of this script): use it.
  echo "dovecot: already listening on $port" >&2
  echo "imap://huiliu:huiliu-test@127.0.0.1:$port"
  exit 0
fi
dir="$(mktemp -d /tmp/huiliu-dovecot.XXXXXX)"
user="$(id -un)"
group="$(id -gn)"
loginuser="$user"
if [ "$(id -u)" = 0 ]; then
  # Dovecot runs no process as root but its master: the Debian package's
  # users take the rest.
  user=dovecot group=dovecot loginuser=dovenull
fi
mkdir -p "$dir/run" "$dir/state" "$dir/mail" "$dir/home"
echo "huiliu:{PLAIN}huiliu-test" > "$dir/users"
if [ "$(id -u)" = 0 ]; then
  chown -R "$user:$group" "$dir/mail" "$dir/home"
  chmod 755 "$dir"
fi
sed -e "s#@DIR@#$dir#g" -e "s#@PORT@#$port#g" -e "s#@USER@#$user#g" -e "s#@GROUP@#$group#g" -e "s#@LOGINUSER@#$loginuser#g" \
  "$(dirname "$0")/dovecot.conf" > "$dir/dovecot.conf"
if [ -x /usr/lib/dovecot/lmtp ]; then
  sed -e "s#@LMTPPORT@#$lmtpport#g" -e "s#@AUTHPORT@#$authport#g" "$(dirname "$0")/dovecot-postfix.conf" > "$dir/postfix.conf"
fi
# Its stderr to the log: a daemon holding ours would keep open a pipe the
# caller reads to the end (.ci/run 2>&1 | tee …).
dovecot -c "$dir/dovecot.conf" 2>>"$dir/dovecot.log"
for _ in $(seq 1 50); do
  if (exec 3<>/dev/tcp/127.0.0.1/"$port") 2>/dev/null; then
    echo "dovecot: $dir" >&2
    echo "imap://huiliu:huiliu-test@127.0.0.1:$port"
    exit 0
  fi
  sleep 0.2
done
echo "dovecot did not start; log:" >&2
cat "$dir/dovecot.log" >&2 || true
exit 1

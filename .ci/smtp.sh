#!/usr/bin/env bash
# Starts Postfix for the outbound email tests with its own configuration in
# a temporary directory and prints the HUILIU_TEST_SMTP value for them:
#   export HUILIU_TEST_SMTP=$(.ci/smtp.sh)
# Usage: .ci/smtp.sh [port] [lmtp-port] [auth-port]   (default 14025 14024
# 14026); run as root, after .ci/dovecot.sh has started Dovecot with LMTP
# and SMTP AUTH on those ports. SMTP AUTH (PLAIN, LOGIN) takes Dovecot's test
# user and is optional: the local domains take mail without it.
# Stop it with   postfix -c "$dir/etc" stop   (the directory is on stderr).
#
# What the server does, by recipient (the test reads it from the URL):
#   huiliu@huiliu.test, huiliu+FOLDER@huiliu.test  delivered over LMTP into
#                    the Dovecot test user's mailbox (folder FOLDER if it exists)
#   any other user @huiliu.test        refused at RCPT with 550 5.1.1
#   later@huiliu.test                  deferred at RCPT with 450 4.2.0
#   anyone@bounce.huiliu.test          accepted, then bounced: Postfix sends
#                    a delivery status notification to the envelope sender
# Nothing is relayed anywhere else.
set -euo pipefail
port="${1:-14025}"
lmtpport="${2:-14024}"
authport="${3:-14026}"
url="smtp://huiliu:huiliu-test@127.0.0.1:$port?deliver=huiliu@huiliu.test&reject=nobody@huiliu.test&defer=later@huiliu.test&bounce=gone@bounce.huiliu.test"
if (exec 3<>/dev/tcp/127.0.0.1/"$port") 2>/dev/null; then
  # Already up (an earlier run of this script): use it.
  echo "postfix: already listening on $port" >&2
  echo "$url"
  exit 0
fi
for p in "$lmtpport" "$authport"; do
  if ! (exec 3<>/dev/tcp/127.0.0.1/"$p") 2>/dev/null; then
    # Postfix would start and then defer every mail: say why now.
    echo "smtp.sh: nothing listens on 127.0.0.1:$p; start Dovecot with LMTP first:" >&2
    echo "  apt-get install dovecot-lmtpd && .ci/dovecot.sh <imap-port> $lmtpport $authport" >&2
    exit 1
  fi
done
if [ "$(id -u)" != 0 ]; then
  echo "smtp.sh: Postfix's master must run as root" >&2
  exit 1
fi
dir="$(mktemp -d /tmp/huiliu-postfix.XXXXXX)"
chmod 755 "$dir"
# Configuration apart from the queue: postfix-script wants everything
# under the configuration directory owned by root.
mkdir -p "$dir/etc" "$dir/queue" "$dir/data"
chown postfix "$dir/data"
# Postfix reads its service table from master.cf; the Debian one, with no
# chroot (the queue directory is not a prepared jail) and only our listener.
cp /etc/postfix/master.cf "$dir/etc/master.cf"
cat > "$dir/etc/main.cf" <<EOF
compatibility_level = 3.6
queue_directory = $dir/queue
data_directory = $dir/data
maillog_file = $dir/maillog
maillog_file_prefixes = $dir
mail_owner = postfix
setgid_group = postdrop
myhostname = mx.huiliu.test
mydomain = huiliu.test
myorigin = huiliu.test
mydestination =
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
smtpd_banner = \$myhostname ESMTP huiliu-test
biff = no
smtputf8_enable = no
smtp_dns_support_level = disabled
lmtp_dns_support_level = disabled
alias_maps =
alias_database =
local_recipient_maps =
recipient_delimiter = +
virtual_mailbox_domains = huiliu.test
virtual_mailbox_maps = texthash:$dir/etc/mailboxes
virtual_transport = lmtp:inet:127.0.0.1:$lmtpport
relay_domains = bounce.huiliu.test
transport_maps = texthash:$dir/etc/transport
default_transport = error:5.7.1 the test server relays nowhere
smtpd_relay_restrictions = reject_unauth_destination
smtpd_sasl_auth_enable = yes
smtpd_sasl_type = dovecot
smtpd_sasl_path = inet:127.0.0.1:$authport
smtpd_recipient_restrictions = check_recipient_access texthash:$dir/etc/access
# Retries of deferred mail and bounces come at once in a test.
queue_run_delay = 1s
minimal_backoff_time = 1s
maximal_backoff_time = 10s
delay_warning_time = 0
EOF
echo "huiliu@huiliu.test ok" > "$dir/etc/mailboxes"
# Postfix refuses error: transports at RCPT already; Dovecot's LMTP knows
# no user at that domain, so the mail is accepted here and bounced after,
# as a remote server's refusal would be.
echo "bounce.huiliu.test lmtp:inet:127.0.0.1:$lmtpport" > "$dir/etc/transport"
echo "later@huiliu.test 450 4.2.0 mailbox busy, try again later (huiliu test)" > "$dir/etc/access"
postconf -c "$dir/etc" -M "smtp/inet=127.0.0.1:$port inet n - n - - smtpd"
postconf -c "$dir/etc" -F '*/*/chroot = n'
postconf -c "$dir/etc" -M postlog/unix-dgram="postlog unix-dgram n - n - 1 postlogd"
if ! postfix -c "$dir/etc" check; then
  # Postfix tells only a terminal or syslog why.
  echo "smtp.sh: postfix check failed; see: script -qc 'postfix -c $dir/etc check' /dev/null" >&2
  exit 1
fi
postfix -c "$dir/etc" start >&2
for _ in $(seq 1 50); do
  if (exec 3<>/dev/tcp/127.0.0.1/"$port") 2>/dev/null; then
    echo "postfix: $dir" >&2
    echo "$url"
    exit 0
  fi
  sleep 0.2
done
echo "postfix did not start; log:" >&2
cat "$dir/maillog" >&2 || true
exit 1

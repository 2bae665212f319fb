#!/usr/bin/env bash
# Pasban on a real network: three namespaces joined by veth pairs,
#
#   pbc (client 10.77.1.2) --- pbs (sensor 10.77.1.1 | 10.77.2.1) --- pbv (server 10.77.2.2)
#
# with nginx and dnsmasq in the server namespace, curl and dig in the
# client namespace, and Pasban in the sensor namespace: inline on NFQUEUE
# (iptables FORWARD -j NFQUEUE), then passive on AF_PACKET.
#
#   inline_test.sh ENGINE [ET_RULES]
#
# Checks: a request matching a drop rule never reaches the server while
# benign downloads arrive byte-identical; reject resets the client; a rule
# reload (SIGUSR2) in the middle of a long transfer neither breaks it nor
# loses the new rules; AF_PACKET capture gives the same alerts as a pcap of
# the same traffic. Figures (printed, not asserted): packets/s through
# NFQUEUE with ET_RULES loaded, and the latency Pasban adds per packet.
#
# Exit 0 pass, 1 fail, 77 skipped (not root, or namespaces not permitted).
set -uo pipefail

ENGINE=$(readlink -f "${1:?usage: inline_test.sh ENGINE [ET_RULES]}")
ET_RULES=${2:-}
HERE=$(cd "$(dirname "$0")" && pwd)
PY=/usr/bin/python3
P=pb$$               # namespace/interface prefix, unique per run
NC=${P}c NS=${P}s NV=${P}v
WORK=$(mktemp -d /tmp/pasban-netns.XXXXXX)
failures=0
pids=()

skip() { echo "SKIP: $*"; exit 77; }
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
ok() { echo "ok: $*"; }
in_ns() { local ns=$1; shift; ip netns exec "$ns" "$@"; }

cleanup() {
  for p in "${pids[@]+"${pids[@]}"}"; do kill "$p" 2>/dev/null; done
  sleep 0.2
  for ns in "$NC" "$NS" "$NV"; do
    ip netns pids "$ns" 2>/dev/null | xargs -r kill -9 2>/dev/null
    ip netns del "$ns" 2>/dev/null
  done
  [[ -n "${KEEP:-}" ]] && echo "work dir kept: $WORK" || rm -rf "$WORK"
}
trap cleanup EXIT

# --- preconditions -----------------------------------------------------------
[[ $(id -u) -eq 0 ]] || skip "needs root to create network namespaces"
for tool in ip iptables nginx dnsmasq curl dig tcpdump; do
  command -v "$tool" >/dev/null || skip "$tool is not installed"
done
ip netns add "$NC" 2>/dev/null || skip "creating a network namespace is not permitted here"
ip netns add "$NS" && ip netns add "$NV" || { fail "ip netns add"; exit 1; }

# --- the network ------------------------------------------------------------
ip link add "${P}c0" type veth peer name "${P}s0" || { fail "veth"; exit 1; }
ip link add "${P}s1" type veth peer name "${P}v0" || { fail "veth"; exit 1; }
ip link set "${P}c0" netns "$NC"; ip link set "${P}s0" netns "$NS"
ip link set "${P}s1" netns "$NS"; ip link set "${P}v0" netns "$NV"
in_ns "$NC" ip addr add 10.77.1.2/24 dev "${P}c0"
in_ns "$NS" ip addr add 10.77.1.1/24 dev "${P}s0"
in_ns "$NS" ip addr add 10.77.2.1/24 dev "${P}s1"
in_ns "$NV" ip addr add 10.77.2.2/24 dev "${P}v0"
for ns in "$NC" "$NS" "$NV"; do in_ns "$ns" ip link set lo up; done
in_ns "$NC" ip link set "${P}c0" up; in_ns "$NV" ip link set "${P}v0" up
in_ns "$NS" ip link set "${P}s0" up; in_ns "$NS" ip link set "${P}s1" up
in_ns "$NC" ip route add default via 10.77.1.1
in_ns "$NV" ip route add default via 10.77.2.1
in_ns "$NS" sysctl -qw net.ipv4.ip_forward=1
# Segmentation offload would hand Pasban 64 KiB super-packets on veth;
# real links deliver MTU-sized frames.
for pair in "$NC ${P}c0" "$NS ${P}s0" "$NS ${P}s1" "$NV ${P}v0"; do
  set -- $pair
  in_ns "$1" ethtool -K "$2" tso off gso off gro off >/dev/null 2>&1 || true
done

# --- servers ------------------------------------------------------------------
mkdir -p "$WORK/www" "$WORK/logs"
echo "<html>benign</html>" > "$WORK/www/index.html"
head -c $((48 * 1024 * 1024)) /dev/urandom > "$WORK/www/big.bin"
head -c $((2 * 1024 * 1024)) /dev/urandom > "$WORK/www/medium.bin"
for f in exploit after-reload REJECTME; do echo "$f" > "$WORK/www/$f"; done
cat > "$WORK/nginx.conf" <<NGX
user root;
worker_processes 1;
daemon on;
pid $WORK/nginx.pid;
error_log $WORK/logs/nginx-error.log;
events { worker_connections 64; }
http {
  access_log $WORK/logs/access.log;
  server { listen 10.77.2.2:80; root $WORK/www; }
}
NGX
in_ns "$NV" nginx -c "$WORK/nginx.conf" -p "$WORK" || { fail "nginx did not start"; exit 1; }
in_ns "$NV" dnsmasq --no-resolv --no-hosts --bind-interfaces --listen-address=10.77.2.2 \
  --address=/example.test/10.77.2.2 --address=/blocked.test/10.77.2.2 \
  --pid-file="$WORK/dnsmasq.pid" --log-facility="$WORK/logs/dnsmasq.log" || { fail "dnsmasq"; exit 1; }
curl_c() { in_ns "$NC" curl -s --max-time "${CURL_TIME:-5}" "$@"; }
curl_c -o /dev/null http://10.77.2.2/index.html || { fail "no plain forwarding before Pasban"; exit 1; }

# --- Pasban inline on NFQUEUE -----------------------------------------------
RULES=$WORK/inline.rules
cat > "$RULES" <<'R'
drop http any any -> any any (msg:"NETNS exploit request"; flow:to_server,established; http.uri; content:"/exploit"; sid:9000001;)
reject tcp any any -> any 80 (msg:"NETNS reject marker"; flow:to_server,established; content:"REJECTME"; sid:9000002;)
drop dns any any -> any any (msg:"NETNS blocked name"; dns.query; content:"blocked.test"; nocase; sid:9000003;)
alert http any any -> any any (msg:"NETNS index fetched"; flow:to_server,established; http.uri; content:"/index.html"; sid:9000004;)
R
cat > "$WORK/pasban.yaml" <<Y
%YAML 1.1
---
outputs:
  - eve-log:
      enabled: yes
      filename: eve.json
      types:
        - alert
        - drop:
            alerts: yes
        - http
        - dns
        - flow
        - stats
af-packet:
  - interface: default
    threads: ${AFP_THREADS:-2}
    cluster-id: 77
Y

start_pasban() {  # start_pasban LOGDIR ARGS... ; waits until it says it runs
  local dir=$1; shift
  mkdir -p "$dir"
  # ip netns exec execs the engine, so $! is the engine's pid (a shell
  # function in the background would be a subshell in between).
  ip netns exec "$NS" "$ENGINE" -c "$WORK/pasban.yaml" -l "$dir" -k none \
    --pidfile "$dir/pasban.pid" "$@" > "$dir/stdout" 2> "$dir/stderr" &
  PASBAN_PID=$!
  pids+=("$PASBAN_PID")
  for _ in $(seq 1 300); do
    grep -q "engine started" "$dir/stderr" 2>/dev/null && return 0
    kill -0 "$PASBAN_PID" 2>/dev/null || break
    sleep 0.1
  done
  echo "--- pasban stderr:"; cat "$dir/stderr"
  return 1
}
stop_pasban() {
  kill -TERM "$PASBAN_PID" 2>/dev/null
  wait "$PASBAN_PID" 2>/dev/null
  local rc=$?
  [[ $rc -eq 0 ]] || fail "pasban exited $rc after SIGTERM"
}
count() {  # count EVE_FILE PYTHON_CONDITION_ON_d
  $PY -c "
import json, sys
n = 0
for line in open(sys.argv[1]):
    d = json.loads(line)
    if $2: n += 1
print(n)" "$1"
}

in_ns "$NS" iptables -I FORWARD -j NFQUEUE --queue-num 0
INL=$WORK/inline
start_pasban "$INL" -S "$RULES" -q 0 || { fail "pasban did not start on NFQUEUE 0"; exit 1; }

# 1. Benign traffic passes byte-identical.
in_ns "$NC" curl -s --max-time 30 -o "$WORK/got-medium.bin" http://10.77.2.2/medium.bin
if cmp -s "$WORK/got-medium.bin" "$WORK/www/medium.bin"; then ok "benign download is byte-identical"
else fail "benign download differs or failed"; fi
curl_c -o /dev/null http://10.77.2.2/index.html && ok "benign page fetched" || fail "benign page failed"
[[ "$(in_ns "$NC" dig +short +time=2 +tries=1 @10.77.2.2 www.example.test)" == 10.77.2.2 ]] \
  && ok "benign DNS answered" || fail "benign DNS query failed"

# 2. A drop rule: the request never reaches the server.
CURL_TIME=3 curl_c -o /dev/null http://10.77.2.2/exploit && fail "dropped request got an answer"
if grep -q "/exploit" "$WORK/logs/access.log"; then fail "the dropped request reached nginx"
else ok "dropped request never reached the server"; fi
# (dig +short prints the answer alone on a line; a timeout is a ";;" line)
! in_ns "$NC" dig +short +time=1 +tries=1 @10.77.2.2 www.blocked.test | grep -qx 10.77.2.2 \
  && ok "blocked DNS name unanswered" || fail "blocked DNS name was answered"

# 3. Reject: the client sees a reset.
CURL_TIME=5 curl_c -o /dev/null http://10.77.2.2/REJECTME
rc=$?
[[ $rc -eq 56 || $rc -eq 52 || $rc -eq 7 ]] && ok "reject reset the client (curl exit $rc)" \
  || fail "reject: curl exit $rc, expected a reset (56)"

# 4. Reload in the middle of a long transfer.
in_ns "$NC" curl -s --max-time 60 --limit-rate 12M -o "$WORK/got-big.bin" http://10.77.2.2/big.bin &
CURL_PID=$!
sleep 1.5
echo 'alert http any any -> any any (msg:"NETNS after reload"; flow:to_server,established; http.uri; content:"/after-reload"; sid:9000005;)' >> "$RULES"
kill -USR2 "$PASBAN_PID"
wait "$CURL_PID"; rc=$?
if [[ $rc -eq 0 ]] && cmp -s "$WORK/got-big.bin" "$WORK/www/big.bin"; then
  ok "48 MiB transfer across a rule reload is byte-identical"
else fail "transfer across the reload broke (curl exit $rc)"; fi
for _ in $(seq 1 50); do grep -q "reload" "$INL/stderr" && break; sleep 0.1; done
curl_c -o /dev/null http://10.77.2.2/after-reload || fail "after-reload request failed"
stop_pasban
EVE=$INL/eve.json
[[ $(count "$EVE" "d.get('alert',{}).get('signature_id')==9000005") -ge 1 ]] \
  && ok "the reloaded rule set alerts" || fail "no alert from the rule added by the reload"
[[ $(count "$EVE" "d['event_type']=='drop' and d.get('alert',{}).get('signature_id')==9000001") -ge 1 ]] \
  && ok "drop record for the exploit request" || fail "no drop record for sid 9000001"
[[ $(count "$EVE" "d.get('alert',{}).get('signature_id')==9000002 and d['alert']['action']=='blocked'") -ge 1 ]] \
  && ok "reject alert logged as blocked" || fail "no blocked alert for the reject rule"
$PY "$HERE/../eve_schema_check.py" "$EVE" "$HERE/../../../shared/verify/etc/eve-schema.json" \
  >/dev/null 2>&1 || [[ ! -f "$HERE/../../../shared/verify/etc/eve-schema.json" ]] \
  || fail "inline eve.json does not validate against the EVE schema"
in_ns "$NS" iptables -D FORWARD -j NFQUEUE --queue-num 0

# --- AF_PACKET capture equals the pcap of the same traffic ---------------------
AFP=$WORK/afpacket
cat > "$WORK/ids.rules" <<'R'
alert http any any -> any any (msg:"NETNS uri"; flow:to_server,established; http.uri; content:"/index"; sid:9100001;)
alert dns any any -> any any (msg:"NETNS dns"; dns.query; content:"example.test"; sid:9100002;)
alert tcp any any -> any 80 (msg:"NETNS marker"; flow:to_server,established; content:"REJECTME"; sid:9100003;)
R
ip netns exec "$NS" tcpdump -i "${P}s0" -w "$WORK/afp.pcap" -U -s 0 >/dev/null 2>&1 &
TCPDUMP_PID=$!; pids+=("$TCPDUMP_PID")
start_pasban "$AFP" -S "$WORK/ids.rules" --af-packet="${P}s0" || { fail "pasban did not start on AF_PACKET"; exit 1; }
sleep 0.5
for i in 1 2 3; do
  curl_c -o /dev/null "http://10.77.2.2/index.html?n=$i"
  in_ns "$NC" dig +short +time=1 +tries=1 @10.77.2.2 "host$i.example.test" >/dev/null
done
curl_c -o /dev/null http://10.77.2.2/REJECTME
sleep 1
stop_pasban
kill -INT "$TCPDUMP_PID"; wait "$TCPDUMP_PID" 2>/dev/null
mkdir -p "$WORK/frompcap"
"$ENGINE" -c "$WORK/pasban.yaml" -r "$WORK/afp.pcap" -S "$WORK/ids.rules" -l "$WORK/frompcap" -k none 2>/dev/null
alerts() { $PY -c "
import json, sys
rows = sorted('%s %s:%s>%s:%s' % (d['alert']['signature_id'], d['src_ip'], d.get('src_port'),
              d['dest_ip'], d.get('dest_port'))
              for d in map(json.loads, open(sys.argv[1])) if d['event_type'] == 'alert')
print('\n'.join(rows))" "$1"; }
alerts "$AFP/eve.json" > "$WORK/afp.alerts"; alerts "$WORK/frompcap/eve.json" > "$WORK/pcap.alerts"
if [[ -s "$WORK/afp.alerts" ]] && cmp -s "$WORK/afp.alerts" "$WORK/pcap.alerts"; then
  ok "AF_PACKET and the pcap give the same $(wc -l < "$WORK/afp.alerts") alerts"
else
  fail "AF_PACKET alerts differ from the pcap's"; diff "$WORK/afp.alerts" "$WORK/pcap.alerts" | head
fi

# --- figures: latency added per packet, NFQUEUE throughput with ET Open ------
ping_rtts() { in_ns "$NC" ping -q -c 400 -i 0.005 -W 1 10.77.2.2 >/dev/null 2>&1;
  in_ns "$NC" ping -c 400 -i 0.005 -W 1 10.77.2.2 2>/dev/null | sed -n 's/.*time=\([0-9.]*\).*/\1/p'; }
ping_rtts > "$WORK/rtt-plain.txt"
BENCH_RULES=${ET_RULES:-$RULES}
in_ns "$NS" iptables -I FORWARD -j NFQUEUE --queue-num 0
BEN=$WORK/bench
if start_pasban "$BEN" -S "$BENCH_RULES" -q 0; then
  ping_rtts > "$WORK/rtt-nfq.txt"
  t0=$(date +%s.%N)
  in_ns "$NC" curl -s --max-time 120 -o /dev/null http://10.77.2.2/big.bin
  t1=$(date +%s.%N)
  stop_pasban
  $PY - "$WORK/rtt-plain.txt" "$WORK/rtt-nfq.txt" "$BEN/eve.json" "$t0" "$t1" "$BENCH_RULES" <<'PYEOF'
import json, statistics, sys
def q(v, p):
    v = sorted(v); return v[min(len(v) - 1, int(p * len(v)))]
plain = [float(x) for x in open(sys.argv[1]) if x.strip()]
nfq = [float(x) for x in open(sys.argv[2]) if x.strip()]
stats = [json.loads(l) for l in open(sys.argv[3]) if '"stats"' in l][-1]['stats']
secs = float(sys.argv[5]) - float(sys.argv[4])
pk = stats.get('ips', {}).get('accepted', 0) + stats.get('ips', {}).get('blocked', 0)
print("figure: rules %s" % sys.argv[6])
if plain and nfq:
    # Each round trip crosses the sensor twice (request and reply).
    print("figure: ping RTT plain median %.3f ms p99 %.3f ms; through Pasban median %.3f ms p99 %.3f ms"
          % (statistics.median(plain), q(plain, .99), statistics.median(nfq), q(nfq, .99)))
    print("figure: latency added per packet: median %.1f us, p99 %.1f us"
          % ((statistics.median(nfq) - statistics.median(plain)) * 500,
             (q(nfq, .99) - q(plain, .99)) * 500))
print("figure: 48 MiB download through NFQUEUE: %.2f s, %d packets, %.0f packets/s, %.0f Mbit/s"
      % (secs, pk, pk / secs, 48 * 8 * 1.048576 / secs))
PYEOF
else
  fail "pasban did not start with $BENCH_RULES"
fi
in_ns "$NS" iptables -D FORWARD -j NFQUEUE --queue-num 0

if (( failures )); then echo "inline_test: $failures failure(s)"; exit 1; fi
echo "inline_test: all checks passed"

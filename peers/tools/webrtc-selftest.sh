#!/usr/bin/env bash
# peers/tools/webrtc-selftest.sh — end-to-end check of the WebRTC test peers.
#
# Starts a private rtpengine + Kamailio (+ one baresip), then:
#   (a) aiortc alice <-> aiortc bob over WS, PCMU and opus: each hears the other's tone
#       (440 / 1000 Hz, +-10 Hz), RFC 4733 digits both ways, rtpengine not involved;
#   (b) aiortc over WS <-> baresip over UDP (plain RTP/AVP), bridged by rtpengine, both call
#       directions: tones both ways (baresip's side from its received-audio WAV), DTMF
#       aiortc -> baresip (ctrl_tcp events) and baresip -> aiortc (sndcode);
#   (c) a bridged call fails cleanly (503) while rtpengine is down, and WS <-> WS still works.
# Stops everything it started. Last line: "N passed, N failed"; exit 0 when nothing failed.
#
# Needs: scripts/peers install (kamailio, rtpengine-daemon, baresip-core) and scripts/peers install aiortc.
# Ports (all 127.0.0.1; override with the usual variables): Kamailio 5760 UDP/TCP, 5761 TLS,
# 5762 WS, 5763 WSS; rtpengine ng 5764, RTP 5800-5899; baresip carol SIP 5770/5771, ctrl 5775,
# RTP 5780-5789. Runtime dir /tmp/sipterm-peers-webrtc (WEBRTC_SELFTEST_DIR). About 60 s.
set -u

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(cd "$SCRIPT_DIR/../.." && pwd)"
PEERS="$REPO_DIR/scripts/peers"

export SIPTERM_PEERS_DIR="${WEBRTC_SELFTEST_DIR:-/tmp/sipterm-peers-webrtc}"
export SIPTERM_KAMAILIO_SIP_PORT="${SIPTERM_KAMAILIO_SIP_PORT:-5760}"
export SIPTERM_KAMAILIO_TLS_PORT="${SIPTERM_KAMAILIO_TLS_PORT:-5761}"
export SIPTERM_KAMAILIO_WS_PORT="${SIPTERM_KAMAILIO_WS_PORT:-5762}"
export SIPTERM_KAMAILIO_WSS_PORT="${SIPTERM_KAMAILIO_WSS_PORT:-5763}"
export SIPTERM_RTPENGINE_NG_PORT="${SIPTERM_RTPENGINE_NG_PORT:-5764}"
export SIPTERM_RTPENGINE_PORT_MIN="${SIPTERM_RTPENGINE_PORT_MIN:-5800}"
export SIPTERM_RTPENGINE_PORT_MAX="${SIPTERM_RTPENGINE_PORT_MAX:-5899}"
export SIPTERM_BARESIP_SIP_PORT="${WEBRTC_SELFTEST_BARESIP_PORT:-5770}"
export SIPTERM_BARESIP_CTRL_PORT="$((SIPTERM_BARESIP_SIP_PORT + 5))"
export SIPTERM_BARESIP_RTP_PORTS="$((SIPTERM_BARESIP_SIP_PORT + 10))-$((SIPTERM_BARESIP_SIP_PORT + 19))"
export SIPTERM_KAMAILIO_WS_URL="ws://127.0.0.1:$SIPTERM_KAMAILIO_WS_PORT"
unset SIPTERM_BARESIP_PROXY_PORT SIPTERM_BARESIP_TRANSPORT SIPTERM_BARESIP_MEDIAENC

VENV_PY="${SIPTERM_AIORTC_VENV:-/opt/sipterm-peers/aiortc-venv}/bin/python"
PEER="$REPO_DIR/peers/aiortc/webrtc_peer.py"
WAVTONE="$REPO_DIR/peers/tools/wavtone.py"
OUT="$SIPTERM_PEERS_DIR/selftest"
BUSER=carol
BDIR="$SIPTERM_PEERS_DIR/baresip-$BUSER"
RTPE_LOG="$SIPTERM_PEERS_DIR/rtpengine/rtpengine.log"

passed=0
failed=0
bg_pids=()

pass() { passed=$((passed + 1)); echo "PASS $*"; }
fail() { failed=$((failed + 1)); echo "FAIL $*"; }
check() { # check NAME CONDITION-EXIT-CODE DETAILS
    if [ "$2" -eq 0 ]; then pass "$1 ($3)"; else fail "$1 ($3)"; fi
}

cleanup() {
    local p
    for p in "${bg_pids[@]}"; do
        kill "$p" 2>/dev/null || true
    done
    "$PEERS" stop baresip "$BUSER" >/dev/null 2>&1 || true
    "$PEERS" stop kamailio >/dev/null 2>&1 || true
    "$PEERS" stop rtpengine >/dev/null 2>&1 || true
}
trap cleanup EXIT

# jfield FILE KEY: KEY of the last {"event": "result"} line of a peer's output ("" if none)
jfield() {
    python3 - "$1" "$2" <<'PY'
import json, sys
res = {}
for line in open(sys.argv[1]):
    try:
        rec = json.loads(line)
    except ValueError:
        continue
    if rec.get("event") == "result":
        res = rec
v = res.get(sys.argv[2])
print("" if v is None else v)
PY
}

# near VALUE TARGET: |VALUE - TARGET| <= 10
near() {
    python3 -c 'import sys; v = sys.argv[1]; sys.exit(0 if v and abs(float(v) - float(sys.argv[2])) <= 10 else 1)' "$1" "$2"
}

rtpe_offers() { local n; n="$(grep -ac "Received command 'offer'" "$RTPE_LOG" 2>/dev/null)"; echo "${n:-0}"; }

newest_dec_wav() { ls -t "$BDIR"/dump-*-dec.wav 2>/dev/null | head -n 1; }

# ctrl_tcp event collector: DTMF digits baresip received, written to $1 when it ends
collect_baresip_dtmf() {
    python3 - "$SIPTERM_BARESIP_CTRL_PORT" "$1" "$2" <<'PY' &
import json, socket, sys, time
port, out, secs = int(sys.argv[1]), sys.argv[2], float(sys.argv[3])
digits = ""
try:
    s = socket.create_connection(("127.0.0.1", port), timeout=0.5)
    buf, end = b"", time.time() + secs
    while time.time() < end:
        try:
            chunk = s.recv(65536)
        except socket.timeout:
            continue
        if not chunk:
            break
        buf += chunk
        while b":" in buf:
            head, rest = buf.split(b":", 1)
            n = int(head)
            if len(rest) < n + 1:
                break
            msg, buf = json.loads(rest[:n]), rest[n + 1:]
            if msg.get("type") == "CALL_DTMF_START":
                digits += msg.get("param", "")
except OSError as e:
    print("ctrl_tcp: %s" % e, file=sys.stderr)
open(out, "w").write(digits + "\n")
PY
    COLL_PID=$!
    bg_pids+=("$COLL_PID")
}

# ------------------------------------------------------------------ set-up

for need in "$VENV_PY" "$PEER"; do
    [ -e "$need" ] || { echo "missing $need — run: scripts/peers install aiortc"; echo "0 passed, 1 failed"; exit 1; }
done
command -v rtpengine >/dev/null 2>&1 || { echo "rtpengine missing — run: scripts/peers install"; echo "0 passed, 1 failed"; exit 1; }

mkdir -p "$OUT"
rm -f "$OUT"/*.out "$OUT"/*.err
"$PEERS" stop baresip "$BUSER" >/dev/null 2>&1
"$PEERS" stop kamailio >/dev/null 2>&1
"$PEERS" stop rtpengine >/dev/null 2>&1

# rtpengine first: Kamailio's rtpengine module probes the relay when it starts
if "$PEERS" start rtpengine >"$OUT/start-rtpengine.log" 2>&1; then pass "start rtpengine"; else
    fail "start rtpengine: $(tail -n 3 "$OUT/start-rtpengine.log")"; echo "$passed passed, $failed failed"; exit 1; fi
if "$PEERS" start kamailio >"$OUT/start-kamailio.log" 2>&1; then pass "start kamailio"; else
    fail "start kamailio: $(tail -n 3 "$OUT/start-kamailio.log")"; echo "$passed passed, $failed failed"; exit 1; fi

# aiortc_pair NAME CODEC: bob answers (1000 Hz, sends 47), alice calls (440 Hz, sends 123#)
aiortc_pair() {
    local name="$1" codec="$2" before after bob rc_a rc_b
    before="$(rtpe_offers)"
    "$VENV_PY" "$PEER" -u bob --answer --tone 1000 --codec "$codec" --send-dtmf 47 --wait 30 --timeout 60 \
        >"$OUT/$name-bob.out" 2>"$OUT/$name-bob.err" &
    bob=$!; bg_pids+=("$bob")
    for _ in $(seq 1 50); do grep -q '"waiting"' "$OUT/$name-bob.out" 2>/dev/null && break; sleep 0.1; done
    "$VENV_PY" "$PEER" -u alice --call sip:bob@sipterm.test --tone 440 --codec "$codec" --duration 4 \
        --send-dtmf '123#' --timeout 60 >"$OUT/$name-alice.out" 2>"$OUT/$name-alice.err"
    rc_a=$?
    wait "$bob"; rc_b=$?
    after="$(rtpe_offers)"
    check "$name: both peers exit 0" $(( rc_a != 0 || rc_b != 0 )) "alice rc=$rc_a, bob rc=$rc_b"
    local c1 c2
    c1="$(jfield "$OUT/$name-alice.out" codec)"; c2="$(jfield "$OUT/$name-bob.out" codec)"
    [ "$c1" = "$(echo "$codec" | tr 'A-Z' 'a-z')" ] && [ "$c2" = "$c1" ]
    check "$name: codec negotiated" $? "alice $c1, bob $c2"
    local ha hb
    ha="$(jfield "$OUT/$name-alice.out" dominant_hz)"; hb="$(jfield "$OUT/$name-bob.out" dominant_hz)"
    near "$ha" 1000; check "$name: alice hears bob's 1000 Hz" $? "dominant_hz=$ha rms=$(jfield "$OUT/$name-alice.out" rms)"
    near "$hb" 440; check "$name: bob hears alice's 440 Hz" $? "dominant_hz=$hb rms=$(jfield "$OUT/$name-bob.out" rms)"
    local da db
    da="$(jfield "$OUT/$name-alice.out" dtmf)"; db="$(jfield "$OUT/$name-bob.out" dtmf)"
    [ "$db" = "123#" ]; check "$name: DTMF alice -> bob" $? "bob got '$db', want '123#'"
    [ "$da" = "47" ]; check "$name: DTMF bob -> alice" $? "alice got '$da', want '47'"
    [ "$before" = "$after" ]; check "$name: WS <-> WS call not touched by rtpengine" $? "rtpengine offers $before -> $after"
}

aiortc_pair ws-pcmu PCMU
aiortc_pair ws-opus opus

# ------------------------------------------------------------------ (b) aiortc <-> baresip

if SIPTERM_BARESIP_SIP_TRACE=1 "$PEERS" start baresip "$BUSER" >"$OUT/start-baresip.log" 2>&1; then
    pass "start baresip $BUSER (UDP, plain RTP)"
    have_baresip=1
else
    fail "start baresip $BUSER: $(tail -n 3 "$OUT/start-baresip.log")"
    have_baresip=0
fi

# baresip_checks NAME WAV_BEFORE: baresip's new received-audio WAV carries 1000 Hz
baresip_wav_check() {
    local name="$1" before="$2" wav info hz
    wav="$(newest_dec_wav)"
    if [ -z "$wav" ] || [ "$wav" = "$before" ]; then
        fail "$name: baresip hears aiortc's 1000 Hz (no new recording in $BDIR)"
        return
    fi
    info="$("$VENV_PY" "$WAVTONE" "$wav")"
    hz="$(printf '%s' "$info" | python3 -c 'import json,sys; v=json.load(sys.stdin)["dominant_hz"]; print("" if v is None else v)')"
    near "$hz" 1000; check "$name: baresip hears aiortc's 1000 Hz" $? "$(basename "$wav"): $info"
}

if [ "$have_baresip" = 1 ]; then
    # (b1) aiortc alice (WS, WebRTC) calls baresip carol (UDP, RTP/AVP)
    name=bridge-ws-to-udp
    before_wav="$(newest_dec_wav)"; before="$(rtpe_offers)"
    collect_baresip_dtmf "$OUT/$name-baresip-dtmf.txt" 9
    sleep 0.3
    "$VENV_PY" "$PEER" -u alice --call sip:$BUSER@sipterm.test --tone 1000 --codec PCMU --duration 5 \
        --send-dtmf 58 --timeout 60 >"$OUT/$name-alice.out" 2>"$OUT/$name-alice.err"
    rc=$?
    wait "$COLL_PID" 2>/dev/null
    after="$(rtpe_offers)"
    check "$name: aiortc call to baresip" "$rc" "rc=$rc, $(grep -o '"state": "established"[^}]*' "$OUT/$name-alice.out" | head -n 1)"
    [ "$after" -gt "$before" ]; check "$name: bridged by rtpengine" $? "rtpengine offers $before -> $after"
    h="$(jfield "$OUT/$name-alice.out" dominant_hz)"
    near "$h" 440; check "$name: aiortc hears baresip's 440 Hz" $? "dominant_hz=$h rms=$(jfield "$OUT/$name-alice.out" rms)"
    sleep 1.2  # the recording is closed when the call ends
    baresip_wav_check "$name" "$before_wav"
    got="$(cat "$OUT/$name-baresip-dtmf.txt" 2>/dev/null)"
    [ "$got" = "58" ]; check "$name: DTMF aiortc -> baresip" $? "baresip got '$got', want '58'"

    # (b2) baresip carol (UDP) calls aiortc bob (WS): rtpengine offers WebRTC to aiortc
    name=bridge-udp-to-ws
    sleep 1.1  # new recording name (1 s resolution)
    before_wav="$(newest_dec_wav)"; before="$(rtpe_offers)"
    "$VENV_PY" "$PEER" -u bob --answer --tone 1000 --duration 6 --wait 30 --timeout 60 \
        >"$OUT/$name-bob.out" 2>"$OUT/$name-bob.err" &
    bob=$!; bg_pids+=("$bob")
    for _ in $(seq 1 50); do grep -q '"waiting"' "$OUT/$name-bob.out" 2>/dev/null && break; sleep 0.1; done
    "$PEERS" baresip-cmd "$BUSER" dial sip:bob@sipterm.test >"$OUT/$name-dial.txt" 2>&1
    for _ in $(seq 1 100); do grep -q '"state": "established"' "$OUT/$name-bob.out" 2>/dev/null && break; sleep 0.1; done
    sleep 1.5
    "$PEERS" baresip-cmd "$BUSER" sndcode 79 >>"$OUT/$name-dial.txt" 2>&1
    wait "$bob"; rc=$?
    after="$(rtpe_offers)"
    check "$name: baresip call to aiortc" "$rc" "rc=$rc, codec $(jfield "$OUT/$name-bob.out" codec)"
    [ "$after" -gt "$before" ]; check "$name: bridged by rtpengine" $? "rtpengine offers $before -> $after"
    h="$(jfield "$OUT/$name-bob.out" dominant_hz)"
    near "$h" 440; check "$name: aiortc hears baresip's 440 Hz" $? "dominant_hz=$h rms=$(jfield "$OUT/$name-bob.out" rms)"
    sleep 1.2
    baresip_wav_check "$name" "$before_wav"
    got="$(jfield "$OUT/$name-bob.out" dtmf)"
    [ "$got" = "79" ]; check "$name: DTMF baresip -> aiortc" $? "aiortc got '$got', want '79'"
fi

# ------------------------------------------------------------------ (c) without rtpengine

"$PEERS" stop rtpengine >/dev/null 2>&1
if [ "$have_baresip" = 1 ]; then
    name=no-rtpengine
    "$VENV_PY" "$PEER" -u alice --call sip:$BUSER@sipterm.test --codec PCMU --duration 1 --timeout 30 \
        >"$OUT/$name-alice.out" 2>"$OUT/$name-alice.err"
    grep -q '"state": "failed", "code": 503' "$OUT/$name-alice.out"
    check "$name: bridged call gets 503 while rtpengine is down" $? \
        "$(grep -o '"state": "failed"[^}]*' "$OUT/$name-alice.out" | head -n 1)"
fi
"$VENV_PY" "$PEER" -u bob --answer --tone 1000 --codec PCMU --wait 30 --timeout 40 \
    >"$OUT/no-rtpengine-ws-bob.out" 2>"$OUT/no-rtpengine-ws-bob.err" &
bob=$!; bg_pids+=("$bob")
for _ in $(seq 1 50); do grep -q '"waiting"' "$OUT/no-rtpengine-ws-bob.out" 2>/dev/null && break; sleep 0.1; done
"$VENV_PY" "$PEER" -u alice --call sip:bob@sipterm.test --tone 440 --codec PCMU --duration 2 --timeout 40 \
    >"$OUT/no-rtpengine-ws-alice.out" 2>"$OUT/no-rtpengine-ws-alice.err"
rc=$?; wait "$bob"
h="$(jfield "$OUT/no-rtpengine-ws-alice.out" dominant_hz)"
[ "$rc" -eq 0 ] && near "$h" 1000
check "no-rtpengine: WS <-> WS call still works" $? "rc=$rc dominant_hz=$h"

cleanup
trap - EXIT
leftover=""
for pidf in "$SIPTERM_PEERS_DIR/kamailio/kamailio.pid" "$SIPTERM_PEERS_DIR/rtpengine/rtpengine.pid" "$BDIR/baresip.pid"; do
    [ -s "$pidf" ] && kill -0 "$(cat "$pidf")" 2>/dev/null && leftover="$leftover $pidf"
done
[ -z "$leftover" ]; check "everything stopped" $? "${leftover:-no pid left}"
echo "outputs: $OUT"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]

#!/usr/bin/env bash
# Runs the peers/sipp scenarios against a running Kamailio (scripts/peers start kamailio).
# UDP and TCP only (Debian's sipp has no TLS).  Local ports 5300-5399 are used.
# Prints PASS/FAIL per check and "N passed, N failed"; exit 0 when all pass.
set -u
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
S="$HERE/../sipp"
PORT="${SIPTERM_KAMAILIO_UDP_PORT:-15060}"
PROXY="127.0.0.1:$PORT"
TMP="$(mktemp -d /tmp/sipp-selftest.XXXXXX)"
trap 'rm -rf "$TMP"' EXIT
pass=0 fail=0

check() {  # name, command...
    local name="$1"; shift
    if timeout 30 "$@" >"$TMP/out" 2>&1; then
        echo "PASS $name"; pass=$((pass + 1))
    else
        echo "FAIL $name (rc=$?)"; tail -n 5 "$TMP/out" | sed 's/^/    /'; fail=$((fail + 1))
    fi
}

SIPP=(sipp -m 1 -i 127.0.0.1 -nostdin -timeout 15s -timeout_error)

n=0
for t in u1 t1; do
    n=$((n + 10))
    check "options.xml over $t" "${SIPP[@]}" -sf "$S/options.xml" -p $((5300 + n)) -t $t "$PROXY"
    check "register-auth.xml alice expires 30 over $t" "${SIPP[@]}" -sf "$S/register-auth.xml" \
        -s alice -au alice -ap alice-secret -set expires 30 -p $((5301 + n)) -t $t "$PROXY"
    check "register-auth.xml alice unregister over $t" "${SIPP[@]}" -sf "$S/register-auth.xml" \
        -s alice -au alice -ap alice-secret -set expires 0 -p $((5301 + n)) -t $t "$PROXY"

    # bob = a sipp UAS; register its port, then message it / call it
    direct=(); [ "$t" = t1 ] && direct=(-set direct yes)
    "${SIPP[@]}" -sf "$S/uas-message.xml" -p $((5302 + n)) -t $t >"$TMP/uas.out" 2>&1 &
    uas=$!
    sleep 0.5
    check "register-auth.xml bob -> UAS port over $t" "${SIPP[@]}" -sf "$S/register-auth.xml" \
        -s bob -au bob -ap bob-secret -set contact_port $((5302 + n)) "${direct[@]}" -p $((5303 + n)) -t $t "$PROXY"
    check "message-auth.xml alice -> bob over $t" "${SIPP[@]}" -sf "$S/message-auth.xml" \
        -s bob -au alice -ap alice-secret -p $((5304 + n)) -t $t "$PROXY"
    if wait $uas; then echo "PASS uas-message.xml received MESSAGE over $t"; pass=$((pass + 1))
    else echo "FAIL uas-message.xml over $t"; fail=$((fail + 1)); fi

    "${SIPP[@]}" -sf "$S/uas-answer.xml" -s bob -p $((5302 + n)) -mp $((46000 + 10 * n)) -t $t >"$TMP/uas.out" 2>&1 &
    uas=$!
    sleep 0.5
    check "uac-call-auth.xml alice -> bob over $t" "${SIPP[@]}" -sf "$S/uac-call-auth.xml" \
        -s bob -au alice -ap alice-secret -d 300 -p $((5305 + n)) -mp $((46200 + 10 * n)) -t $t "$PROXY"
    if wait $uas; then echo "PASS uas-answer.xml answered and got BYE over $t"; pass=$((pass + 1))
    else echo "FAIL uas-answer.xml over $t"; fail=$((fail + 1)); fi
    check "register-auth.xml bob unregister over $t" "${SIPP[@]}" -sf "$S/register-auth.xml" \
        -s bob -au bob -ap bob-secret -set expires 0 -set contact_port $((5302 + n)) "${direct[@]}" -p $((5303 + n)) -t $t "$PROXY"
done

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]

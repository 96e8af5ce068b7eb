#!/usr/bin/env bash
# Self-test of the call scenarios (peers/sipp/u{a,s}*-*.xml): each one against a sipp
# counterpart playing the sipterm agent, over UDP on 127.0.0.1, SIP ports 5500-5549
# (sipp picks its own RTP ports from 6000).  Also a few negative checks: the counterpart
# misbehaves on purpose and the scenario under test must fail.
#   peers/sipp/selftest/run.sh            direct scenarios (about 45 s)
#   peers/sipp/selftest/run.sh refer      also the REFER-through-Kamailio test; starts a
#                                         private Kamailio on 127.0.0.1:5560-5563
#                                         (SIPTERM_PEERS_DIR=/tmp/sipterm-peers-sipp-calls)
#                                         and stops it afterwards
# Prints PASS/FAIL per check and "N passed, N failed"; exit 0 when all pass.
# KEEP=1 keeps the work dir (sipp -trace_msg/-trace_logs files of every run).
set -u
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
S="$(cd "$HERE/.." && pwd)"
REPO="$(cd "$S/../.." && pwd)"
TMP="$(mktemp -d /tmp/sipp-calls-selftest.XXXXXX)"
[ "${KEEP:-0}" = 1 ] && echo "work dir: $TMP" || trap 'rm -rf "$TMP"' EXIT
SIPP=(sipp -m 1 -i 127.0.0.1 -t u1 -nostdin -timeout 40s -timeout_error -trace_logs -trace_err -trace_msg)
pass=0 fail=0 n=0

# pair NAME EXPECT(pass|fail) UNDER_TEST(uas|uac) "UAS args" "UAC args"
# The UAS starts first; the scenario under test must exit 0 (pass) or non-zero (fail);
# for "pass" the counterpart must exit 0 too.
pair() {
    local name="$1" expect="$2" which="$3" uas="$4" uac="$5" d ru rc r
    n=$((n + 1)); d="$TMP/$n"; mkdir -p "$d"
    ( cd "$d" && exec "${SIPP[@]}" $uas >uas.out 2>&1 ) & local pid=$!
    sleep 0.4
    ( cd "$d" && exec "${SIPP[@]}" $uac >uac.out 2>&1 ); rc=$?
    wait $pid; ru=$?
    if [ "$which" = uas ]; then r=$ru; else r=$rc; fi
    if { [ "$expect" = pass ] && [ $ru -eq 0 ] && [ $rc -eq 0 ]; } ||
       { [ "$expect" = fail ] && [ $r -ne 0 ]; }; then
        echo "PASS $name"; pass=$((pass + 1))
    else
        echo "FAIL $name (uas rc=$ru, uac rc=$rc, expected the $which to $expect; files in $d)"
        cat "$d"/*_logs.log "$d"/*_errors.log 2>/dev/null | cut -f3- | head -n 6 | sed 's/^/    /'
        fail=$((fail + 1))
    fi
}

T=127.0.0.1
pair "uas-answer-then-bye.xml (BYE after 700 ms)" pass uas \
    "-sf $S/uas-answer-then-bye.xml -p 5500 -set hold_ms 700 -recv_timeout 5s" \
    "-sf $HERE/agent-uac.xml -s bob -p 5501 -recv_timeout 5s $T:5500"
for code in 486 603; do
pair "uas-reject.xml -set code $code" pass uas \
    "-sf $S/uas-reject.xml -p 5502 -set code $code -recv_timeout 5s" \
    "-sf $HERE/agent-call-rejected.xml -s bob -p 5503 -recv_timeout 5s $T:5502"
done
pair "uas-ring-wait-cancel.xml <-> uac-cancel.xml" pass uas \
    "-sf $S/uas-ring-wait-cancel.xml -p 5504 -recv_timeout 5s" \
    "-sf $S/uac-cancel.xml -s alice -p 5505 -set ring_ms 800 -recv_timeout 5s $T:5504"
pair "uac-call.xml -set hangup us (vs uas-answer.xml)" pass uac \
    "-sf $S/uas-answer.xml -p 5506 -recv_timeout 5s" \
    "-sf $S/uac-call.xml -s alice -p 5507 -set hangup us -d 500 -recv_timeout 5s $T:5506"
pair "uac-call.xml -set hangup them (vs uas-answer-then-bye.xml)" pass uac \
    "-sf $S/uas-answer-then-bye.xml -p 5506 -set hold_ms 500 -recv_timeout 5s" \
    "-sf $S/uac-call.xml -s alice -p 5507 -set hangup them -recv_timeout 5s $T:5506"
pair "uac-no-answer.xml -set wait_s 3 (408 after 3 s)" pass uac \
    "-sf $HERE/agent-no-answer.xml -p 5508 -d 3000 -recv_timeout 10s" \
    "-sf $S/uac-no-answer.xml -s alice -p 5509 -set wait_s 3 -recv_timeout 10s $T:5508"
pair "uac-no-answer.xml -set wait_s 3 fails on a 408 after 1 s" fail uac \
    "-sf $HERE/agent-no-answer.xml -p 5508 -d 1000 -recv_timeout 10s" \
    "-sf $S/uac-no-answer.xml -s alice -p 5509 -set wait_s 3 -recv_timeout 10s $T:5508"
pair "uac-hold.xml" pass uac \
    "-sf $HERE/agent-hold.xml -p 5510 -recv_timeout 5s" \
    "-sf $S/uac-hold.xml -s alice -p 5511 -d 300 -recv_timeout 5s $T:5510"
pair "uac-hold.xml fails when the hold is answered a=sendrecv" fail uac \
    "-sf $HERE/agent-hold.xml -p 5510 -set answer_dir sendrecv -recv_timeout 3s" \
    "-sf $S/uac-hold.xml -s alice -p 5511 -d 300 -recv_timeout 3s $T:5510"
for m in UPDATE INVITE; do
pair "uas-timer-agent-refreshes.xml -set method $m" pass uas \
    "-sf $S/uas-timer-agent-refreshes.xml -p 5512 -set method $m -recv_timeout 10s" \
    "-sf $HERE/agent-uac.xml -s bob -p 5513 -set then refresh -set method $m -d 2000 -recv_timeout 5s $T:5512"
done
pair "uas-timer-agent-refreshes.xml fails on a BYE without refresh" fail uas \
    "-sf $S/uas-timer-agent-refreshes.xml -p 5512 -recv_timeout 10s" \
    "-sf $HERE/agent-uac.xml -s bob -p 5513 -set then bye -d 1000 -recv_timeout 5s $T:5512"
pair "uas-timer-peer-refreshes.xml (UPDATE after 1.5 s)" pass uas \
    "-sf $S/uas-timer-peer-refreshes.xml -p 5514 -set refresh_ms 1500 -recv_timeout 10s" \
    "-sf $HERE/agent-uac.xml -s bob -p 5515 -set then refreshed -d 1000 -recv_timeout 5s $T:5514"
pair "uas-timer-peer-refreshes.xml fails when the agent refreshes itself" fail uas \
    "-sf $S/uas-timer-peer-refreshes.xml -p 5514 -set refresh_ms 3000 -recv_timeout 5s" \
    "-sf $HERE/agent-uac.xml -s bob -p 5515 -set then refresh -d 500 -recv_timeout 3s $T:5514"
pair "uas-timer-peer-silent.xml -set se 6 -set need_reason yes (BYE after 4 s)" pass uas \
    "-sf $S/uas-timer-peer-silent.xml -p 5516 -set se 6 -set need_reason yes -recv_timeout 20s" \
    "-sf $HERE/agent-uac.xml -s bob -p 5517 -set then expire -d 4000 -recv_timeout 5s $T:5516"
pair "uas-timer-peer-silent.xml -set se 6 fails on a BYE after 1 s" fail uas \
    "-sf $S/uas-timer-peer-silent.xml -p 5516 -set se 6 -recv_timeout 20s" \
    "-sf $HERE/agent-uac.xml -s bob -p 5517 -set then expire -d 1000 -recv_timeout 5s $T:5516"
pair "uas-422.xml" pass uas \
    "-sf $S/uas-422.xml -p 5518 -recv_timeout 5s" \
    "-sf $HERE/agent-422.xml -s bob -p 5519 -d 500 -recv_timeout 5s $T:5518"
pair "uas-422.xml fails when the retry keeps Session-Expires 90" fail uas \
    "-sf $S/uas-422.xml -p 5518 -recv_timeout 3s" \
    "-sf $HERE/agent-422.xml -s bob -p 5519 -d 500 -set retry_se 90 -recv_timeout 3s $T:5518"
pair "uas-refer.xml (we hang up)" pass uas \
    "-sf $S/uas-refer.xml -p 5520 -recv_timeout 5s" \
    "-sf $HERE/agent-uac.xml -s bob -p 5521 -set then refer -recv_timeout 5s $T:5520"
pair "uas-refer.xml -set hangup them" pass uas \
    "-sf $S/uas-refer.xml -p 5520 -set hangup them -recv_timeout 5s" \
    "-sf $HERE/agent-uac.xml -s bob -p 5521 -set then refer -set hangup us -recv_timeout 5s $T:5520"
pair "uas-refer.xml -set refer_to dave fails on Refer-To carol" fail uas \
    "-sf $S/uas-refer.xml -p 5520 -set refer_to dave -recv_timeout 3s" \
    "-sf $HERE/agent-uac.xml -s bob -p 5521 -set then refer -recv_timeout 3s $T:5520"
pair "uas-dtmf-info.xml" pass uas \
    "-sf $S/uas-dtmf-info.xml -p 5522 -recv_timeout 5s" \
    "-sf $HERE/agent-uac.xml -s bob -p 5523 -set then info -d 300 -recv_timeout 5s $T:5522"
pair "uas-dtmf-info.xml -set signal 7 fails on Signal=5" fail uas \
    "-sf $S/uas-dtmf-info.xml -p 5522 -set signal 7 -recv_timeout 3s" \
    "-sf $HERE/agent-uac.xml -s bob -p 5523 -set then info -d 300 -recv_timeout 3s $T:5522"

# ---- REFER through a private Kamailio: bob (uac-refer.xml) -> alice (agent-transferee.xml)
#      -> carol (uas-answer.xml); the transferee's new call is uac-call-auth.xml -s carol.
if [ "${1:-}" = refer ]; then
    export SIPTERM_PEERS_DIR=/tmp/sipterm-peers-sipp-calls SIPTERM_KAMAILIO_SIP_PORT=5560 \
           SIPTERM_KAMAILIO_TLS_PORT=5561 SIPTERM_KAMAILIO_WS_PORT=5562 SIPTERM_KAMAILIO_WSS_PORT=5563
    if "$REPO/scripts/peers" start kamailio >"$TMP/kamailio.out" 2>&1; then
        P=127.0.0.1:5560
        for final in "200 OK" "486"; do
            n=$((n + 1)); d="$TMP/$n"; mkdir -p "$d"; cd "$d"
            "${SIPP[@]}" -sf "$S/uas-answer.xml" -s carol -p 5530 -recv_timeout 15s >carol.out 2>&1 & carol=$!
            "${SIPP[@]}" -sf "$HERE/agent-transferee.xml" -p 5532 -d 2500 -set final "$final" \
                -recv_timeout 15s >alice.out 2>&1 & alice=$!
            sleep 0.3
            "${SIPP[@]}" -sf "$S/register-auth.xml" -s carol -au carol -ap carol-secret \
                -set contact_port 5530 -p 5531 "$P" >reg.out 2>&1
            "${SIPP[@]}" -sf "$S/register-auth.xml" -s alice -au alice -ap alice-secret \
                -set contact_port 5532 -p 5533 "$P" >>reg.out 2>&1
            "${SIPP[@]}" -sf "$S/uac-refer.xml" -s alice -au bob -ap bob-secret -d 500 -p 5534 \
                -recv_timeout 15s "$P" >bob.out 2>&1 & bob=$!
            sleep 1.5
            "${SIPP[@]}" -sf "$S/uac-call-auth.xml" -s carol -au alice -ap alice-secret -d 2000 \
                -p 5535 "$P" >newcall.out 2>&1; rn=$?
            wait $bob; rb=$?; wait $alice; ra=$?; wait $carol; rcar=$?
            if [ "$final" = "200 OK" ]; then
                name="uac-refer.xml via Kamailio (bob -> alice -> carol)"
                ok=$([ $rb -eq 0 ] && [ $ra -eq 0 ] && [ $rcar -eq 0 ] && [ $rn -eq 0 ] && echo y)
            else
                name="uac-refer.xml fails on a final sipfrag 486"
                ok=$([ $rb -ne 0 ] && echo y)
            fi
            if [ "${ok:-}" = y ]; then echo "PASS $name"; pass=$((pass + 1))
            else echo "FAIL $name (bob $rb, alice $ra, carol $rcar, new call $rn; files in $d)"; fail=$((fail + 1)); fi
            cd "$TMP"
        done
        "$REPO/scripts/peers" stop kamailio >/dev/null 2>&1
    else
        echo "FAIL could not start the private Kamailio"; tail -n 5 "$TMP/kamailio.out"; fail=$((fail + 1))
    fi
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]

#!/usr/bin/env python3
"""sipterm interop peer: a SIP-over-WebSocket user agent with real WebRTC media (aiortc).

It behaves like a JsSIP browser tab: REGISTER over WS/WSS (RFC 7118, sub-protocol "sip",
Via transport WS, a ".invalid" Contact host, MD5 digest), then either places one call
(--call URI) or answers one incoming call (--answer). Media is aiortc's full WebRTC stack
(ICE, DTLS-SRTP, rtcp-mux, UDP/TLS/RTP/SAVPF), non-trickle: the offer/answer is sent once
candidate gathering is complete. It plays a sine tone, records what it receives, and speaks
RFC 4733 telephone-events in both directions through its SRTP session.

Results go to stdout as JSON lines, e.g.
  {"event": "registered", "expires": 600}
  {"event": "call", "state": "established", ...}
  {"event": "dtmf", "digit": "5"}
  {"event": "result", "dominant_hz": 440.1, "rms": 0.21, "dtmf": "123#", ...}
Diagnostics go to stderr (-v adds a SIP trace).  Everything stays on 127.0.0.1.

Run it with scripts/peers aiortc ARGS... (the venv from scripts/peers install aiortc).
"""

import argparse
import asyncio
import fractions
import hashlib
import json
import math
import os
import random
import re
import ssl
import string
import struct
import sys
import time
import uuid
import wave

import aioice.ice

# aioice gathers host candidates on every interface except loopback; this peer must use
# 127.0.0.1 and nothing else.
aioice.ice.get_host_addresses = lambda use_ipv4=True, use_ipv6=False: ["127.0.0.1"]

import aiortc.rtcdtlstransport  # noqa: E402
import numpy as np  # noqa: E402
from aiortc import (  # noqa: E402
    MediaStreamTrack,
    RTCConfiguration,
    RTCPeerConnection,
    RTCRtpSender,
    RTCSessionDescription,
)
from aiortc.mediastreams import MediaStreamError  # noqa: E402
from aiortc.rtp import is_rtcp  # noqa: E402
from av import AudioFrame  # noqa: E402
from websockets.asyncio.client import connect as ws_connect  # noqa: E402

VERBOSE = False
T0 = time.time()

# The OpenSSL inside the pyOpenSSL/cryptography wheels (4.x) can speak DTLS 1.3; browsers
# negotiate DTLS 1.2, so this peer caps the version there too (--dtls13 lifts the cap; against
# Debian 12's rtpengine both work).
_create_ssl_context = aiortc.rtcdtlstransport.RTCCertificate._create_ssl_context
DTLS_MAX_VERSION = 0xFEFD  # DTLS1_2_VERSION


def _ssl_context_dtls12(self, srtp_profiles):
    ctx = _create_ssl_context(self, srtp_profiles)
    if DTLS_MAX_VERSION:
        ctx.set_max_proto_version(DTLS_MAX_VERSION)
    return ctx


aiortc.rtcdtlstransport.RTCCertificate._create_ssl_context = _ssl_context_dtls12


def emit(event, **fields):
    rec = {"event": event, "t": round(time.time() - T0, 3)}
    rec.update(fields)
    sys.stdout.write(json.dumps(rec) + "\n")
    sys.stdout.flush()


def log(*parts):
    sys.stderr.write("[%7.3f] %s\n" % (time.time() - T0, " ".join(str(p) for p in parts)))
    sys.stderr.flush()


def rand_token(n=10):
    return "".join(random.choice(string.ascii_lowercase + string.digits) for _ in range(n))


# ------------------------------------------------------------------ SIP messages

COMPACT = {"v": "via", "f": "from", "t": "to", "i": "call-id", "m": "contact", "l": "content-length",
           "c": "content-type", "k": "supported", "e": "content-encoding", "s": "subject"}


def split_commas(value):
    """Split a header value on commas outside quotes and <>."""
    out, cur, depth, quoted = [], [], 0, False
    for ch in value:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch == "<":
            depth += 1
        elif not quoted and ch == ">":
            depth -= 1
        if ch == "," and not quoted and depth == 0:
            out.append("".join(cur).strip())
            cur = []
        else:
            cur.append(ch)
    if "".join(cur).strip():
        out.append("".join(cur).strip())
    return out


class SipMessage:
    def __init__(self, first_line, headers, body=""):
        self.first_line = first_line
        self.headers = headers  # list of [name, value]
        self.body = body

    @classmethod
    def parse(cls, text):
        head, _, body = text.partition("\r\n\r\n")
        lines = head.split("\r\n")
        headers = []
        for line in lines[1:]:
            if line[:1] in (" ", "\t") and headers:
                headers[-1][1] += " " + line.strip()
                continue
            name, _, value = line.partition(":")
            name = name.strip()
            headers.append([COMPACT.get(name.lower(), name), value.strip()])
        return cls(lines[0], headers, body)

    @property
    def is_request(self):
        return not self.first_line.startswith("SIP/2.0")

    @property
    def method(self):
        return self.first_line.split(" ", 1)[0]

    @property
    def ruri(self):
        return self.first_line.split(" ")[1]

    @property
    def status(self):
        return int(self.first_line.split(" ")[1])

    @property
    def reason(self):
        return self.first_line.split(" ", 2)[2] if self.first_line.count(" ") >= 2 else ""

    def get(self, name, default=None):
        for n, v in self.headers:
            if n.lower() == name.lower():
                return v
        return default

    def get_all(self, name):
        """All values, comma-separated ones split (Via, Record-Route, Route, ...)."""
        out = []
        for n, v in self.headers:
            if n.lower() == name.lower():
                out.extend(split_commas(v))
        return out

    def cseq(self):
        num, meth = self.get("CSeq").split()
        return int(num), meth

    def serialize(self):
        body = self.body or ""
        lines = [self.first_line]
        lines += ["%s: %s" % (n, v) for n, v in self.headers if n.lower() != "content-length"]
        lines.append("Content-Length: %d" % len(body.encode()))
        return "\r\n".join(lines) + "\r\n\r\n" + body


def header_param(value, name):
    m = re.search(r";\s*%s=([^;>,\s]+)" % re.escape(name), value, re.I)
    return m.group(1).strip('"') if m else None


def name_addr_uri(value):
    m = re.search(r"<([^>]*)>", value)
    if m:
        return m.group(1)
    return value.split(";")[0].strip()


def parse_challenge(value):
    _, _, rest = value.partition(" ")
    params = {}
    for m in re.finditer(r'(\w+)\s*=\s*("([^"]*)"|[^,\s]+)', rest):
        params[m.group(1).lower()] = m.group(3) if m.group(3) is not None else m.group(2)
    return params


def md5(s):
    return hashlib.md5(s.encode()).hexdigest()


def digest_header(ch, method, uri, user, password, nc):
    realm, nonce = ch.get("realm", ""), ch.get("nonce", "")
    ha1 = md5("%s:%s:%s" % (user, realm, password))
    ha2 = md5("%s:%s" % (method, uri))
    parts = ['username="%s"' % user, 'realm="%s"' % realm, 'nonce="%s"' % nonce, 'uri="%s"' % uri,
             "algorithm=MD5"]
    qops = [q.strip() for q in ch.get("qop", "").split(",") if q.strip()]
    if "auth" in qops:
        cnonce = rand_token(16)
        ncs = "%08x" % nc
        resp = md5("%s:%s:%s:%s:auth:%s" % (ha1, nonce, ncs, cnonce, ha2))
        parts += ['response="%s"' % resp, "qop=auth", 'cnonce="%s"' % cnonce, "nc=%s" % ncs]
    else:
        parts.append('response="%s"' % md5("%s:%s:%s" % (ha1, nonce, ha2)))
    if "opaque" in ch:
        parts.append('opaque="%s"' % ch["opaque"])
    return "Digest " + ", ".join(parts)


# ------------------------------------------------------------------ SDP helpers (telephone-event)

def sdp_audio_section(sdp):
    """(before, audio section lines, after) of the first m=audio section."""
    lines = sdp.replace("\r\n", "\n").rstrip("\n").split("\n")
    start = next((i for i, l in enumerate(lines) if l.startswith("m=audio")), None)
    if start is None:
        return lines, [], []
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("m=")), len(lines))
    return lines[:start], lines[start:end], lines[end:]


def sdp_rtpmaps(sdp):
    """{pt: (name_lower, clock)} of the audio section."""
    _, sec, _ = sdp_audio_section(sdp)
    out = {}
    for l in sec:
        m = re.match(r"a=rtpmap:(\d+)\s+([^/\s]+)/(\d+)", l)
        if m:
            out[int(m.group(1))] = (m.group(2).lower(), int(m.group(3)))
    return out


def sdp_first_codec(sdp):
    _, sec, _ = sdp_audio_section(sdp)
    if not sec:
        return None, None
    fmts = sec[0].split()[3:]
    maps = sdp_rtpmaps(sdp)
    for f in fmts:
        if f.isdigit() and int(f) in maps and maps[int(f)][0] != "telephone-event":
            return int(f), maps[int(f)]
        if f.isdigit() and int(f) == 0:
            return 0, ("pcmu", 8000)
    return None, None


def sdp_add_telephone_event(sdp, pts):
    """Append telephone-event payload types [(pt, clock)] to the audio m-line."""
    before, sec, after = sdp_audio_section(sdp)
    if not sec or not pts:
        return sdp
    m = sec[0].split()
    m += [str(pt) for pt, _ in pts if str(pt) not in m[3:]]
    sec[0] = " ".join(m)
    last_map = max(i for i, l in enumerate(sec) if l.startswith("a=rtpmap:") or i == 0)
    extra = []
    for pt, clock in pts:
        extra += ["a=rtpmap:%d telephone-event/%d" % (pt, clock), "a=fmtp:%d 0-16" % pt]
    sec = sec[:last_map + 1] + extra + sec[last_map + 1:]
    return "\r\n".join(before + sec + after) + "\r\n"


DTMF_EVENTS = "0123456789*#ABCD"


# ------------------------------------------------------------------ media

class ToneTrack(MediaStreamTrack):
    """A sine of `hz` (0 = silence) at 48 kHz mono, paced in real time, 20 ms frames."""
    kind = "audio"

    def __init__(self, hz, level=0.3):
        super().__init__()
        self.hz, self.level = hz, level
        self.rate, self.samples = 48000, 960
        self._ts = None
        self._start = None

    async def recv(self):
        if self.readyState != "live":
            raise MediaStreamError
        if self._ts is None:
            self._start, self._ts = time.time(), 0
        else:
            self._ts += self.samples
            wait = self._start + self._ts / self.rate - time.time()
            if wait > 0:
                await asyncio.sleep(wait)
        n = np.arange(self._ts, self._ts + self.samples)
        pcm = (self.level * 32767 * np.sin(2 * math.pi * self.hz * n / self.rate)).astype("<i2")
        frame = AudioFrame(format="s16", layout="mono", samples=self.samples)
        frame.planes[0].update(pcm.tobytes())
        frame.sample_rate = self.rate
        frame.pts = self._ts
        frame.time_base = fractions.Fraction(1, self.rate)
        return frame


def rtp_header_len(data):
    hl = 12 + 4 * (data[0] & 0x0F)
    if data[0] & 0x10:
        if len(data) < hl + 4:
            return None
        hl += 4 + 4 * struct.unpack("!H", data[hl + 2:hl + 4])[0]
    return hl if hl <= len(data) else None


class Dtmf:
    """RFC 4733 in both directions, hooked into aiortc's RTCDtlsTransport.

    aiortc has no DTMF API. Its DTLS transport hands every decrypted RTP packet to
    `_handle_rtp_data(data, arrival_time_ms)` and sends every RTP packet of the sender
    through `_send_rtp(data)` (which SRTP-protects it). Both are looked up on the
    instance, so wrapping them there is enough:
      * receive: packets whose payload type is a negotiated telephone-event are decoded
        (one digit per event timestamp) instead of being routed (aiortc would drop them);
      * send: while a digit is due, each outgoing audio packet is replaced 1:1 by a
        telephone-event packet with the same SSRC and sequence number (so the SRTP index
        and the receiver's sequence space stay continuous), event timestamp = that of the
        first replaced packet, growing duration, and three end packets (E bit).
    """

    def __init__(self):
        self.rx_pts = set()
        self.tx_pt = None
        self.tx_clock = 8000
        self.received = []
        self._seen = set()
        self._queue = []
        self._cur = None  # dict(event, ts, n, end_left)
        self._gap = 0
        self._done = None
        self.hooked = set()

    def hook(self, dtls):
        if dtls is None or id(dtls) in self.hooked:
            return
        self.hooked.add(id(dtls))
        orig_rx, orig_tx = dtls._handle_rtp_data, dtls._send_rtp

        async def handle_rtp_data(data, arrival_time_ms):
            if len(data) >= 12 and (data[1] & 0x7F) in self.rx_pts:
                self._on_event(data)
                return
            await orig_rx(data, arrival_time_ms)

        async def send_rtp(data):
            if not is_rtcp(data):
                data = self._rewrite(data)
            await orig_tx(data)

        dtls._handle_rtp_data = handle_rtp_data
        dtls._send_rtp = send_rtp

    def _on_event(self, data):
        hl = rtp_header_len(data)
        if hl is None or len(data) < hl + 4:
            return
        ts, ssrc = struct.unpack("!II", data[4:12])
        event = data[hl]
        key = (ssrc, ts)
        if key in self._seen or event >= len(DTMF_EVENTS):
            return
        self._seen.add(key)
        digit = DTMF_EVENTS[event]
        self.received.append(digit)
        emit("dtmf", digit=digit, pt=data[1] & 0x7F)

    def send(self, digits, duration_ms=160, gap_ms=120):
        self._dur_pkts = max(3, duration_ms // 20)
        self._gap_pkts = max(2, gap_ms // 20)
        self._queue.extend(d for d in digits.upper() if d in DTMF_EVENTS)
        self._done = asyncio.get_running_loop().create_future()
        return self._done

    def _rewrite(self, data):
        if self.tx_pt is None:
            return data
        if self._cur is None:
            if self._gap > 0:
                self._gap -= 1
                return data
            if not self._queue:
                if self._done is not None and not self._done.done():
                    self._done.set_result(True)
                return data
            digit = self._queue.pop(0)
            self._cur = {"event": DTMF_EVENTS.index(digit), "ts": data[4:8], "n": 0, "end": 0}
            emit("dtmf_sent", digit=digit)
        hl = rtp_header_len(data)
        if hl is None:
            return data
        cur = self._cur
        frame = self.tx_clock // 50  # 20 ms packets
        marker = 0x80 if cur["n"] == 0 else 0
        if cur["n"] < self._dur_pkts:
            cur["n"] += 1
            flags, duration = 10, cur["n"] * frame
        else:
            cur["end"] += 1
            flags, duration = 0x80 | 10, self._dur_pkts * frame
            if cur["end"] >= 3:
                self._cur = None
                self._gap = self._gap_pkts
        payload = struct.pack("!BBH", cur["event"], flags, min(duration, 0xFFFF))
        head = bytearray(data[:hl])
        head[0] &= ~0x20 & 0xFF  # no padding
        head[1] = marker | self.tx_pt
        head[4:8] = cur["ts"]
        return bytes(head) + payload


class Recorder:
    def __init__(self):
        self.chunks, self.rate, self.frames = [], None, 0

    async def run(self, track):
        while True:
            try:
                frame = await track.recv()
            except MediaStreamError:
                return
            ch = len(frame.layout.channels)
            arr = frame.to_ndarray().reshape(-1)
            if frame.format.name not in ("s16", "s16p"):
                continue
            if ch > 1:
                arr = arr.reshape(-1, ch).mean(axis=1)
            self.rate = frame.sample_rate
            self.chunks.append(arr.astype(np.float32) / 32768.0)
            self.frames += 1

    def samples(self):
        return np.concatenate(self.chunks) if self.chunks else np.zeros(0, dtype=np.float32)


def analyse(x, rate, skip_s=0.5):
    """dominant frequency (Hann window, zero-padded FFT) and RMS after skip_s."""
    out = {"dominant_hz": None, "rms": 0.0, "seconds": 0.0, "sample_rate": rate}
    if rate is None or len(x) == 0:
        return out
    x = x[int(skip_s * rate):]
    out["seconds"] = round(len(x) / rate, 3)
    if len(x) < rate * 0.1:
        return out
    out["rms"] = round(float(np.sqrt(np.mean(x.astype(np.float64) ** 2))), 5)
    n = 1 << int(math.ceil(math.log2(len(x) * 4)))
    spec = np.abs(np.fft.rfft(x * np.hanning(len(x)), n))
    freqs = np.fft.rfftfreq(n, 1.0 / rate)
    spec[freqs < 50] = 0
    out["dominant_hz"] = round(float(freqs[int(np.argmax(spec))]), 1)
    return out


def write_wav(path, x, rate):
    with wave.open(path, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate or 8000)
        w.writeframes((np.clip(x, -1, 1) * 32767).astype("<i2").tobytes())


# ------------------------------------------------------------------ user agent

class Failed(Exception):
    pass


class UserAgent:
    def __init__(self, args):
        self.a = args
        self.user, self.domain = args.user, args.domain
        self.password = args.password or "%s-secret" % args.user
        self.aor = "sip:%s@%s" % (self.user, self.domain)
        self.host = rand_token(12) + ".invalid"
        self.contact_user = rand_token(8)
        self.transport = "wss" if args.ws_url.startswith("wss:") else "ws"
        self.contact = "<sip:%s@%s;transport=%s>" % (self.contact_user, self.host, self.transport)
        self.instance = str(uuid.uuid4())
        self.ws = None
        self.pending = {}  # branch -> asyncio.Queue of responses
        self.nc = 0
        self.reg_call_id = rand_token(20)
        self.reg_cseq = 0
        self.dialog = None
        self.incoming = asyncio.Queue()
        self.call_over = asyncio.Event()
        self.ended_by = None
        self.pc = None
        self.local_sdp = None
        self.dtmf = Dtmf()
        self.recorder = Recorder()
        self.rec_task = None
        self.codec = None
        self.established = False
        self.result_code = 1

    # ---- transport

    async def send(self, msg):
        text = msg.serialize()
        if VERBOSE:
            log("SEND >>>\n" + text)
        await self.ws.send(text)

    async def reader(self):
        try:
            async for raw in self.ws:
                text = raw.decode() if isinstance(raw, bytes) else raw
                if VERBOSE:
                    log("RECV <<<\n" + text)
                try:
                    msg = SipMessage.parse(text)
                except Exception as exc:  # pragma: no cover
                    log("unparsable message:", exc)
                    continue
                if msg.is_request:
                    asyncio.ensure_future(self.on_request(msg))
                else:
                    vias = msg.get_all("Via")
                    branch = header_param(vias[0], "branch") if vias else None
                    q = self.pending.get(branch)
                    if q is not None:
                        q.put_nowait(msg)
        except Exception as exc:
            log("websocket closed:", exc)
        emit("transport", state="closed")
        self.call_over.set()

    def via(self, branch):
        return "SIP/2.0/%s %s;branch=%s;rport" % (self.transport.upper(), self.host, branch)

    def new_request(self, method, ruri, frm, to, call_id, cseq, routes=(), extra=(), body=""):
        branch = "z9hG4bK" + rand_token(16)
        h = [["Via", self.via(branch)], ["Max-Forwards", "70"]]
        h += [["Route", r] for r in routes]
        h += [["From", frm], ["To", to], ["Call-ID", call_id], ["CSeq", "%d %s" % (cseq, method)]]
        h += [list(x) for x in extra]
        h.append(["User-Agent", "sipterm-aiortc-peer"])
        return SipMessage("%s %s SIP/2.0" % (method, ruri), h, body), branch

    async def transact(self, msg, branch, timeout=32.0, on_provisional=None):
        q = self.pending.setdefault(branch, asyncio.Queue())
        try:
            await self.send(msg)
            deadline = time.time() + timeout
            while True:
                left = deadline - time.time()
                if left <= 0:
                    raise Failed("%s: no final response" % msg.method)
                resp = await asyncio.wait_for(q.get(), left)
                if resp.status < 200:
                    if on_provisional:
                        await on_provisional(resp)
                    continue
                return resp
        finally:
            self.pending.pop(branch, None)

    def authorize(self, msg, resp):
        hdr = "WWW-Authenticate" if resp.status == 401 else "Proxy-Authenticate"
        ch = parse_challenge(resp.get(hdr, ""))
        self.nc += 1
        name = "Authorization" if resp.status == 401 else "Proxy-Authorization"
        msg.headers = [h for h in msg.headers if h[0].lower() not in ("authorization", "proxy-authorization")]
        msg.headers.append([name, digest_header(ch, msg.method, msg.ruri, self.user, self.password, self.nc)])

    def reply(self, req, code, reason, extra=(), body="", to_tag=None):
        h = [[n, v] for n, v in req.headers if n.lower() in ("via", "from", "call-id", "cseq")]
        to = req.get("To")
        if to_tag and "tag=" not in to:
            to += ";tag=" + to_tag
        h.insert(len(h) - 2, ["To", to])
        if req.method == "INVITE" and 100 < code < 300:
            h += [["Record-Route", v] for n, v in req.headers if n.lower() == "record-route"]
        h += [list(x) for x in extra]
        h.append(["Server", "sipterm-aiortc-peer"])
        return SipMessage("SIP/2.0 %d %s" % (code, reason), h, body)

    # ---- registration

    async def register(self, expires):
        for attempt in range(3):
            self.reg_cseq += 1
            msg, branch = self.new_request(
                "REGISTER", "sip:%s" % self.domain, "<%s>;tag=%s" % (self.aor, rand_token()), "<%s>" % self.aor,
                self.reg_call_id, self.reg_cseq,
                extra=[("Contact", '%s;+sip.ice;+sip.instance="<urn:uuid:%s>";expires=%d'
                        % (self.contact, self.instance, expires)),
                       ("Expires", str(expires)),
                       ("Allow", "INVITE,ACK,CANCEL,BYE,OPTIONS,INFO,MESSAGE,NOTIFY,UPDATE"),
                       ("Supported", "path,gruu")])
            if attempt > 0 and self._reg_challenge is not None:
                self.authorize(msg, self._reg_challenge)
            resp = await self.transact(msg, branch)
            if resp.status in (401, 407) and attempt < 2:
                self._reg_challenge = resp
                continue
            if resp.status != 200:
                raise Failed("REGISTER: %d %s" % (resp.status, resp.reason))
            granted = expires
            for c in resp.get_all("Contact"):
                if self.contact_user in c and header_param(c, "expires"):
                    granted = int(header_param(c, "expires"))
            return granted
        raise Failed("REGISTER: too many challenges")

    # ---- media

    def new_pc(self):
        pc = RTCPeerConnection(RTCConfiguration(iceServers=[]))
        tr = pc.addTransceiver(ToneTrack(self.a.tone), direction="sendrecv")
        if self.a.codec:
            want = "audio/" + ("PCMU" if self.a.codec.upper() == "PCMU" else "opus")
            caps = [c for c in RTCRtpSender.getCapabilities("audio").codecs if c.mimeType.lower() == want.lower()]
            tr.setCodecPreferences(caps)

        @pc.on("track")
        def on_track(track):
            if track.kind == "audio" and self.rec_task is None:
                self.rec_task = asyncio.ensure_future(self.recorder.run(track))

        @pc.on("connectionstatechange")
        async def on_state():
            emit("media", state=pc.connectionState)
            if pc.connectionState == "failed":
                self.call_over.set()

        self.pc = pc
        return pc

    def hook_dtmf(self):
        for tr in self.pc.getTransceivers():
            self.dtmf.hook(tr.sender.transport)
            self.dtmf.hook(tr.receiver.transport)

    def negotiated(self, local, remote):
        """Set the telephone-event PTs and codec once both descriptions are known."""
        pt, (name, clock) = sdp_first_codec(local)
        self.codec = name
        rmaps = sdp_rtpmaps(remote)
        te = [(p, c) for p, (n, c) in rmaps.items() if n == "telephone-event"]
        lte = [(p, c) for p, (n, c) in sdp_rtpmaps(local).items() if n == "telephone-event"]
        self.dtmf.rx_pts = {p for p, _ in te + lte}
        match = [p for p, c in te if c == clock]
        self.dtmf.tx_pt = match[0] if match else None
        self.dtmf.tx_clock = clock

    def te_for_offer(self):
        if (self.a.codec or "").upper() == "PCMU":
            return [(101, 8000)]
        if (self.a.codec or "").lower() == "opus":
            return [(110, 48000)]
        return [(110, 48000), (101, 8000)]

    # ---- calls

    async def place_call(self, target):
        pc = self.new_pc()
        offer = await pc.createOffer()
        await pc.setLocalDescription(offer)  # returns after ICE gathering is complete
        self.local_sdp = sdp_add_telephone_event(pc.localDescription.sdp, self.te_for_offer())
        call_id, ftag = rand_token(20), rand_token()
        frm, to = "<%s>;tag=%s" % (self.aor, ftag), "<%s>" % target
        cseq, challenge = 1, None
        emit("call", state="calling", target=target)

        async def on_prov(resp):
            if resp.status in (180, 183):
                emit("call", state="ringing" if resp.status == 180 else "progress", code=resp.status)

        for attempt in range(3):
            invite, branch = self.new_request(
                "INVITE", target, frm, to, call_id, cseq,
                extra=[("Contact", self.contact), ("Content-Type", "application/sdp"),
                       ("Allow", "INVITE,ACK,CANCEL,BYE,OPTIONS,INFO,MESSAGE,NOTIFY,UPDATE"),
                       ("Supported", "ice,replaces")],
                body=self.local_sdp)
            if challenge is not None:
                self.authorize(invite, challenge)
            resp = await self.transact(invite, branch, timeout=130, on_provisional=on_prov)
            if resp.status in (401, 407) and attempt < 2:
                # ACK the challenge (same branch), then retry with credentials
                ack = SipMessage("ACK %s SIP/2.0" % target,
                                 [["Via", invite.get("Via")], ["Max-Forwards", "70"], ["From", frm],
                                  ["To", resp.get("To")], ["Call-ID", call_id], ["CSeq", "%d ACK" % cseq]])
                await self.send(ack)
                challenge, cseq = resp, cseq + 1
                continue
            break
        if resp.status >= 300:
            ack = SipMessage("ACK %s SIP/2.0" % target,
                             [["Via", invite.get("Via")], ["Max-Forwards", "70"], ["From", frm],
                              ["To", resp.get("To")], ["Call-ID", call_id], ["CSeq", "%d ACK" % cseq]])
            await self.send(ack)
            emit("call", state="failed", code=resp.status, reason=resp.reason)
            return False
        self.dialog = {
            "call_id": call_id, "local": frm, "remote": resp.get("To"), "cseq": cseq,
            "target": name_addr_uri(resp.get("Contact", "<%s>" % target)),
            "routes": list(reversed(resp.get_all("Record-Route"))), "uac": True,
            "invite_cseq": cseq,
        }
        await self.send_in_dialog("ACK", cseq=cseq)
        if not resp.body.strip():
            emit("call", state="failed", reason="200 without SDP")
            await self.hangup()
            return False
        try:
            await pc.setRemoteDescription(RTCSessionDescription(resp.body, "answer"))
        except Exception as exc:
            emit("call", state="failed", reason="bad answer SDP: %s" % exc)
            await self.hangup()
            return False
        self.negotiated(self.local_sdp, resp.body)
        self.hook_dtmf()
        self.established = True
        emit("call", state="established", code=resp.status, codec=self.codec,
             telephone_event=self.dtmf.tx_pt)
        return True

    async def answer_call(self, invite):
        tag = rand_token()
        await self.send(self.reply(invite, 100, "Trying"))
        await self.send(self.reply(invite, 180, "Ringing", extra=[("Contact", self.contact)], to_tag=tag))
        emit("call", state="ringing", direction="incoming", caller=name_addr_uri(invite.get("From")))
        if self.a.answer_delay > 0:
            await asyncio.sleep(self.a.answer_delay)
        offer = invite.body
        if "application/sdp" not in (invite.get("Content-Type") or "") or not offer.strip():
            await self.send(self.reply(invite, 488, "Not Acceptable Here", to_tag=tag))
            emit("call", state="failed", reason="INVITE without SDP offer")
            return False
        pc = self.new_pc()
        try:
            await pc.setRemoteDescription(RTCSessionDescription(offer, "offer"))
            answer = await pc.createAnswer()
            await pc.setLocalDescription(answer)
        except Exception as exc:
            await self.send(self.reply(invite, 488, "Not Acceptable Here",
                                       extra=[("Warning", '399 sipterm-aiortc "%s"' % str(exc)[:100])], to_tag=tag))
            emit("call", state="failed", reason="cannot answer offer: %s" % exc)
            return False
        local = pc.localDescription.sdp
        pt, (name, clock) = sdp_first_codec(local)
        te = [(p, c) for p, (n, c) in sdp_rtpmaps(offer).items() if n == "telephone-event" and c == clock]
        self.local_sdp = sdp_add_telephone_event(local, te[:1])
        self.dialog = {
            "call_id": invite.get("Call-ID"), "local": invite.get("To") + ";tag=" + tag,
            "remote": invite.get("From"), "cseq": random.randint(1, 10000),
            "target": name_addr_uri(invite.get("Contact")),
            "routes": invite.get_all("Record-Route"), "uac": False,
            "invite_cseq": invite.cseq()[0],
        }
        self.dialog["acked"] = asyncio.Event()
        await self.send(self.reply(invite, 200, "OK", to_tag=tag,
                                   extra=[("Contact", self.contact), ("Content-Type", "application/sdp"),
                                          ("Allow", "INVITE,ACK,CANCEL,BYE,OPTIONS,INFO,MESSAGE,NOTIFY,UPDATE"),
                                          ("Supported", "ice,replaces")],
                                   body=self.local_sdp))
        self.negotiated(self.local_sdp, offer)
        self.hook_dtmf()
        try:
            await asyncio.wait_for(self.dialog["acked"].wait(), 32)
        except asyncio.TimeoutError:
            emit("call", state="failed", reason="no ACK")
            await self.hangup()
            return False
        self.established = True
        emit("call", state="established", direction="incoming", codec=self.codec,
             telephone_event=self.dtmf.tx_pt)
        return True

    async def send_in_dialog(self, method, cseq=None, extra=(), body=""):
        d = self.dialog
        if cseq is None:
            d["cseq"] += 1
            cseq = d["cseq"]
        msg, branch = self.new_request(method, d["target"], d["local"], d["remote"], d["call_id"], cseq,
                                       routes=d["routes"], extra=extra, body=body)
        if method == "ACK":
            await self.send(msg)
            return None
        return await self.transact(msg, branch)

    async def hangup(self):
        if self.dialog is None or self.dialog.get("bye"):
            return
        self.dialog["bye"] = True
        try:
            resp = await self.send_in_dialog("BYE")
            emit("call", state="ended", by="us", code=resp.status)
        except Exception as exc:
            emit("call", state="ended", by="us", error=str(exc))
        self.ended_by = self.ended_by or "us"
        self.call_over.set()

    # ---- incoming requests

    def in_dialog(self, req):
        d = self.dialog
        if d is None or req.get("Call-ID") != d["call_id"]:
            return False
        return header_param(req.get("To", ""), "tag") == header_param(d["local"], "tag")

    async def on_request(self, req):
        m = req.method
        if m == "ACK":
            if self.dialog is not None and "acked" in self.dialog and self.in_dialog(req):
                self.dialog["acked"].set()
            return
        has_tag = header_param(req.get("To", ""), "tag") is not None
        if m == "OPTIONS" and (not has_tag or self.in_dialog(req)):
            await self.send(self.reply(req, 200, "OK", extra=[
                ("Allow", "INVITE,ACK,CANCEL,BYE,OPTIONS,INFO,MESSAGE,NOTIFY,UPDATE"),
                ("Accept", "application/sdp"), ("Supported", "ice,replaces")]))
            return
        if has_tag:
            if not self.in_dialog(req):
                await self.send(self.reply(req, 481, "Call/Transaction Does Not Exist"))
                return
            if m == "BYE":
                await self.send(self.reply(req, 200, "OK"))
                if not self.dialog.get("bye"):
                    self.dialog["bye"] = True
                    self.ended_by = "them"
                    emit("call", state="ended", by="them")
                self.call_over.set()
            elif m == "INVITE":
                # re-INVITE: keep the session as it is and answer with the same SDP
                if self.local_sdp and "m=audio" in (req.body or "") and "UDP/TLS/RTP/SAVPF" in req.body:
                    emit("call", state="reinvite", answered=200)
                    await self.send(self.reply(req, 200, "OK", extra=[
                        ("Contact", self.contact), ("Content-Type", "application/sdp")], body=self.local_sdp))
                elif self.local_sdp and not (req.body or "").strip():
                    emit("call", state="reinvite", answered=200)
                    await self.send(self.reply(req, 200, "OK", extra=[
                        ("Contact", self.contact), ("Content-Type", "application/sdp")], body=self.local_sdp))
                else:
                    emit("call", state="reinvite", answered=488)
                    await self.send(self.reply(req, 488, "Not Acceptable Here"))
            elif m == "UPDATE" and (req.body or "").strip():
                await self.send(self.reply(req, 488, "Not Acceptable Here"))
            elif m in ("INFO", "UPDATE", "NOTIFY", "MESSAGE"):
                await self.send(self.reply(req, 200, "OK"))
            else:
                await self.send(self.reply(req, 405, "Method Not Allowed"))
            return
        if m == "INVITE":
            if self.a.answer and self.dialog is None:
                self.incoming.put_nowait(req)
            else:
                await self.send(self.reply(req, 486, "Busy Here", to_tag=rand_token()))
        elif m == "CANCEL":
            await self.send(self.reply(req, 481, "Call/Transaction Does Not Exist"))
        elif m in ("MESSAGE", "NOTIFY"):
            await self.send(self.reply(req, 200, "OK", to_tag=rand_token()))
        else:
            await self.send(self.reply(req, 405, "Method Not Allowed", to_tag=rand_token()))

    # ---- main flow

    async def run(self):
        kwargs = {"subprotocols": ["sip"], "open_timeout": 10, "ping_interval": None, "max_size": None}
        if self.transport == "wss":
            ctx = ssl.create_default_context(cafile=self.a.ca) if self.a.ca else ssl.create_default_context()
            kwargs["ssl"] = ctx
        async with ws_connect(self.a.ws_url, **kwargs) as ws:
            if ws.subprotocol != "sip":
                raise Failed("server did not accept the 'sip' WebSocket sub-protocol")
            self.ws = ws
            self._reg_challenge = None
            reader = asyncio.ensure_future(self.reader())
            expires = await self.register(self.a.expires)
            emit("registered", aor=self.aor, expires=expires, transport=self.transport)
            ok = False
            try:
                if self.a.call:
                    ok = await self.place_call(self.a.call)
                elif self.a.answer:
                    emit("waiting")
                    invite = await asyncio.wait_for(self.incoming.get(), self.a.wait)
                    ok = await self.answer_call(invite)
                if ok:
                    await self.hold_call()
            finally:
                if self.pc is not None:
                    await self.pc.close()
                if self.rec_task is not None:
                    try:
                        await asyncio.wait_for(self.rec_task, 2)
                    except Exception:
                        pass
                try:
                    await asyncio.wait_for(self.register(0), 5)
                    emit("unregistered")
                except Exception as exc:
                    log("un-REGISTER failed:", exc)
                reader.cancel()
            self.result_code = 0 if ok else 1
            self.report()

    async def hold_call(self):
        tasks = []
        if self.a.send_dtmf:
            async def sender():
                await asyncio.sleep(self.a.dtmf_delay)
                if self.dtmf.tx_pt is None:
                    emit("dtmf_error", reason="no telephone-event negotiated")
                    return
                await self.dtmf.send(self.a.send_dtmf)
            tasks.append(asyncio.ensure_future(sender()))
        try:
            if self.a.duration > 0:
                await asyncio.wait_for(self.call_over.wait(), self.a.duration)
            else:
                await self.call_over.wait()
        except asyncio.TimeoutError:
            pass
        for t in tasks:
            t.cancel()
        await self.hangup()

    def report(self):
        x = self.recorder.samples()
        res = analyse(x, self.recorder.rate)
        if self.a.record and self.recorder.rate:
            write_wav(self.a.record, x, self.recorder.rate)
            res["record"] = self.a.record
        res.update(dtmf="".join(self.dtmf.received), codec=self.codec, ended_by=self.ended_by,
                   established=self.established, tone_hz=self.a.tone)
        emit("result", **res)


def main():
    global VERBOSE, DTLS_MAX_VERSION
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--user", "-u", required=True)
    p.add_argument("--password", "-p")
    p.add_argument("--domain", default="sipterm.test")
    p.add_argument("--ws-url", default=os.environ.get("SIPTERM_KAMAILIO_WS_URL", "ws://127.0.0.1:15080"),
                   help="ws:// or wss:// URL of the SIP WebSocket server (default $SIPTERM_KAMAILIO_WS_URL)")
    p.add_argument("--ca", default=os.environ.get("SIPTERM_KAMAILIO_CA"), help="CA file for wss://")
    g = p.add_mutually_exclusive_group()
    g.add_argument("--call", metavar="URI", help="place one call to URI")
    g.add_argument("--answer", action="store_true", help="answer one incoming call")
    p.add_argument("--tone", type=float, default=440.0, help="sine tone to send, Hz (0 = silence)")
    p.add_argument("--codec", choices=["PCMU", "pcmu", "opus", "OPUS"], help="force the codec")
    p.add_argument("--duration", type=float, default=None,
                   help="seconds to hold the call, then BYE (default: caller 5, answerer waits for BYE)")
    p.add_argument("--send-dtmf", metavar="DIGITS", help="RFC 4733 digits to send once the call is up")
    p.add_argument("--dtmf-delay", type=float, default=1.0, help="seconds after the call is up (default 1)")
    p.add_argument("--answer-delay", type=float, default=0.2)
    p.add_argument("--wait", type=float, default=60, help="--answer: seconds to wait for an INVITE")
    p.add_argument("--expires", type=int, default=600)
    p.add_argument("--record", metavar="WAV", help="also write the received audio to a WAV file")
    p.add_argument("--timeout", type=float, default=180, help="overall limit in seconds")
    p.add_argument("-v", "--verbose", action="store_true", help="SIP trace on stderr")
    p.add_argument("--debug", action="store_true", help="aiortc/aioice debug logging on stderr")
    p.add_argument("--dtls13", action="store_true", help="allow DTLS 1.3 (default: at most DTLS 1.2, as browsers)")
    a = p.parse_args()
    if a.dtls13:
        DTLS_MAX_VERSION = 0
    if a.debug:
        import logging
        logging.basicConfig(level=logging.DEBUG, stream=sys.stderr)
    if not a.call and not a.answer:
        p.error("one of --call URI or --answer is required")
    if a.duration is None:
        a.duration = 5.0 if a.call else 0.0
    if a.codec:
        a.codec = "PCMU" if a.codec.upper() == "PCMU" else "opus"
    VERBOSE = a.verbose
    ua = UserAgent(a)

    async def runner():
        try:
            await asyncio.wait_for(ua.run(), a.timeout)
        except asyncio.TimeoutError:
            emit("error", reason="timeout after %gs" % a.timeout)
            ua.report()
            ua.result_code = 2
        except (Failed, OSError, Exception) as exc:
            emit("error", reason="%s: %s" % (type(exc).__name__, exc))
            ua.report()
            ua.result_code = 2

    asyncio.run(runner())
    sys.exit(ua.result_code)


if __name__ == "__main__":
    main()

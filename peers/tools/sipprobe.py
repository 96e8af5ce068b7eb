#!/usr/bin/env python3
"""sipprobe — tiny stdlib-only SIP client for checking the sipterm Kamailio peer.

Transports: udp, tcp, tls, ws, wss (own minimal RFC 6455 client, sub-protocol "sip").
MD5 digest auth (qop=auth).  Everything goes to 127.0.0.1.

  sipprobe.py options  -t udp|tcp|tls|ws|wss [--uri sip:127.0.0.1]
  sipprobe.py register -t T -u alice [-p alice-secret] [--expires 30]
  sipprobe.py message  -t T1 -T T2 [-u alice -U bob]     # alice on T1 -> bob on T2
  sipprobe.py call     -t T1 -T T2 [-u alice -U bob]     # INVITE/200/ACK/BYE through the proxy
  sipprobe.py send     -t T -u alice --method MESSAGE --uri sip:bob@sipterm.test [--text hi]
  sipprobe.py all                                          # the whole matrix, one line per check

Ports/cert come from the SIPTERM_KAMAILIO_* variables written by `scripts/peers start kamailio`
(defaults 15060/15061/15080/15443, trusting /tmp/sipterm-peers/kamailio/ca.pem).
Exit status 0 when every check got what it expected.
"""
import argparse
import base64
import hashlib
import os
import random
import re
import select
import socket
import ssl
import string
import struct
import sys
import time

HOST = os.environ.get("SIPTERM_KAMAILIO_HOST", "127.0.0.1")
PORTS = {
    "udp": int(os.environ.get("SIPTERM_KAMAILIO_UDP_PORT", "15060")),
    "tcp": int(os.environ.get("SIPTERM_KAMAILIO_TCP_PORT", "15060")),
    "tls": int(os.environ.get("SIPTERM_KAMAILIO_TLS_PORT", "15061")),
    "ws": int(os.environ.get("SIPTERM_KAMAILIO_WS_PORT", "15080")),
    "wss": int(os.environ.get("SIPTERM_KAMAILIO_WSS_PORT", "15443")),
}
CERT = os.environ.get("SIPTERM_KAMAILIO_CA", "/tmp/sipterm-peers/kamailio/ca.pem")
DOMAIN = os.environ.get("SIPTERM_KAMAILIO_DOMAIN", "sipterm.test")
PASSWORDS = {"alice": "alice-secret", "bob": "bob-secret", "carol": "carol-secret"}
VERBOSE = False

COMPACT = {"i": "call-id", "m": "contact", "e": "content-encoding", "l": "content-length",
           "c": "content-type", "f": "from", "s": "subject", "k": "supported", "t": "to", "v": "via"}


def rand(n=10):
    return "".join(random.choice(string.ascii_lowercase + string.digits) for _ in range(n))


def log(*a):
    if VERBOSE:
        print(*a, file=sys.stderr)


# --------------------------------------------------------------------------- messages

class Msg:
    def __init__(self, raw):
        self.raw = raw
        head, _, self.body = raw.partition("\r\n\r\n")
        lines = head.split("\r\n")
        self.first = lines[0]
        self.headers = []  # (lname, value)
        for line in lines[1:]:
            if line[:1] in (" ", "\t") and self.headers:
                n, v = self.headers[-1]
                self.headers[-1] = (n, v + " " + line.strip())
                continue
            n, _, v = line.partition(":")
            n = n.strip().lower()
            self.headers.append((COMPACT.get(n, n), v.strip()))
        self.is_request = not self.first.startswith("SIP/2.0")
        if self.is_request:
            self.method, self.uri, _ = self.first.split(" ", 2)
            self.status = None
        else:
            parts = self.first.split(" ", 2)
            self.status = int(parts[1])
            self.reason = parts[2] if len(parts) > 2 else ""

    def get(self, name):
        name = name.lower()
        for n, v in self.headers:
            if n == name:
                return v
        return None

    def get_all(self, name):
        name = name.lower()
        out = []
        for n, v in self.headers:
            if n == name:
                out.append(v)
        return out

    @property
    def cseq_method(self):
        return (self.get("cseq") or " ").split()[-1]


# --------------------------------------------------------------------------- transports

class Conn:
    """One client flow to Kamailio over the given transport."""

    def __init__(self, transport, timeout=5.0):
        self.transport = transport
        self.timeout = timeout
        self.buf = b""
        self.frames = []
        port = PORTS[transport]
        if transport == "udp":
            self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            self.sock.bind(("127.0.0.1", 0))
            self.sock.connect((HOST, port))
        else:
            raw = socket.create_connection((HOST, port), timeout=timeout)
            if transport in ("tls", "wss"):
                ctx = ssl.create_default_context(cafile=CERT)  # verifies chain + hostname
                self.sock = ctx.wrap_socket(raw, server_hostname="localhost")
                log(f"[{transport}] TLS {self.sock.version()} {self.sock.cipher()[0]} peer verified")
            else:
                self.sock = raw
            if transport in ("ws", "wss"):
                self._ws_handshake(port)
        self.local = self.sock.getsockname()
        if transport in ("ws", "wss"):
            self.via_host = rand(8) + ".invalid"
            self.via_proto = transport.upper()
            self.contact_host = self.via_host
            self.contact_params = ";transport=ws"
        else:
            self.via_host = f"{self.local[0]}:{self.local[1]}"
            self.via_proto = transport.upper()
            self.contact_host = f"{self.local[0]}:{self.local[1]}"
            self.contact_params = "" if transport == "udp" else f";transport={transport}"

    # ---- websocket
    def _ws_handshake(self, port):
        key = base64.b64encode(os.urandom(16)).decode()
        host = "localhost" if self.transport == "wss" else HOST
        req = (f"GET / HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\n"
               f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
               f"Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: sip\r\n"
               f"Origin: http://{host}\r\n\r\n")
        self.sock.sendall(req.encode())
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = self.sock.recv(4096)
            if not chunk:
                raise ConnectionError("ws handshake: connection closed")
            data += chunk
        head, _, rest = data.partition(b"\r\n\r\n")
        text = head.decode("latin-1")
        status = text.split("\r\n")[0]
        if " 101 " not in status + " ":
            raise ConnectionError(f"ws handshake failed: {status}")
        hdrs = {l.split(":", 1)[0].strip().lower(): l.split(":", 1)[1].strip()
                for l in text.split("\r\n")[1:] if ":" in l}
        want = base64.b64encode(hashlib.sha1((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")
                                             .encode()).digest()).decode()
        if hdrs.get("sec-websocket-accept") != want:
            raise ConnectionError("ws handshake: bad Sec-WebSocket-Accept")
        if hdrs.get("sec-websocket-protocol", "").lower() != "sip":
            raise ConnectionError("ws handshake: server did not select sub-protocol sip")
        log(f"[{self.transport}] websocket: {status}, protocol sip")
        self.buf = rest

    def _ws_send(self, payload, opcode=1):
        mask = os.urandom(4)
        n = len(payload)
        if n < 126:
            hdr = struct.pack("!BB", 0x80 | opcode, 0x80 | n)
        elif n < 65536:
            hdr = struct.pack("!BBH", 0x80 | opcode, 0x80 | 126, n)
        else:
            hdr = struct.pack("!BBQ", 0x80 | opcode, 0x80 | 127, n)
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        self.sock.sendall(hdr + mask + masked)

    def _ws_parse(self):
        """Pull complete frames out of self.buf; returns list of text payloads."""
        out = []
        while True:
            if len(self.buf) < 2:
                return out
            b1, b2 = self.buf[0], self.buf[1]
            n = b2 & 0x7F
            off = 2
            if n == 126:
                if len(self.buf) < 4:
                    return out
                n = struct.unpack("!H", self.buf[2:4])[0]
                off = 4
            elif n == 127:
                if len(self.buf) < 10:
                    return out
                n = struct.unpack("!Q", self.buf[2:10])[0]
                off = 10
            mask = None
            if b2 & 0x80:
                mask = self.buf[off:off + 4]
                off += 4
            if len(self.buf) < off + n:
                return out
            payload = self.buf[off:off + n]
            if mask:
                payload = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
            self.buf = self.buf[off + n:]
            opcode = b1 & 0x0F
            if opcode == 9:  # ping -> pong
                self._ws_send(payload, opcode=10)
            elif opcode == 8:
                raise ConnectionError("ws closed by server")
            elif opcode in (1, 2, 0):
                out.append(payload.decode())

    # ---- generic
    def send(self, text):
        log(f">>> [{self.transport}] {text.splitlines()[0]}")
        if VERBOSE and os.environ.get("SIPPROBE_TRACE"):
            log(text)
        data = text.encode()
        if self.transport in ("ws", "wss"):
            self._ws_send(data)
        elif self.transport == "udp":
            self.sock.send(data)
        else:
            self.sock.sendall(data)

    def _stream_extract(self):
        while self.buf.startswith(b"\r\n"):
            self.buf = self.buf[2:]
        i = self.buf.find(b"\r\n\r\n")
        if i < 0:
            return None
        head = self.buf[:i].decode("utf-8", "replace")
        m = re.search(r"(?im)^(?:content-length|l)\s*:\s*(\d+)", head)
        n = int(m.group(1)) if m else 0
        if len(self.buf) < i + 4 + n:
            return None
        raw = self.buf[:i + 4 + n].decode("utf-8", "replace")
        self.buf = self.buf[i + 4 + n:]
        return raw

    def recv(self, timeout=None):
        """Next SIP message or None on timeout."""
        deadline = time.time() + (self.timeout if timeout is None else timeout)
        while True:
            if self.transport in ("ws", "wss"):
                self.frames += self._ws_parse()
                if self.frames:
                    raw = self.frames.pop(0)
                    if raw.strip():
                        return self._got(raw)
                    continue
            elif self.transport in ("tcp", "tls"):
                raw = self._stream_extract()
                if raw:
                    return self._got(raw)
            left = deadline - time.time()
            if left <= 0:
                return None
            pending = isinstance(self.sock, ssl.SSLSocket) and self.sock.pending()
            if not pending:
                r, _, _ = select.select([self.sock], [], [], left)
                if not r:
                    return None
            data = self.sock.recv(65535)
            if self.transport == "udp":
                raw = data.decode("utf-8", "replace")
                if raw.strip():
                    return self._got(raw)
                continue
            if not data:
                raise ConnectionError("connection closed by server")
            self.buf += data

    def _got(self, raw):
        m = Msg(raw)
        log(f"<<< [{self.transport}] {m.first}")
        if VERBOSE and os.environ.get("SIPPROBE_TRACE"):
            log(raw)
        return m

    def close(self):
        try:
            if self.transport in ("ws", "wss"):
                self._ws_send(struct.pack("!H", 1000), opcode=8)
            self.sock.close()
        except OSError:
            pass


# --------------------------------------------------------------------------- UA

def digest(user, password, method, uri, chal, nc=1):
    params = dict(re.findall(r'(\w+)="?([^",]*)"?', chal.split(" ", 1)[1]))
    realm, nonce = params["realm"], params["nonce"]
    ha1 = hashlib.md5(f"{user}:{realm}:{password}".encode()).hexdigest()
    ha2 = hashlib.md5(f"{method}:{uri}".encode()).hexdigest()
    out = f'Digest username="{user}", realm="{realm}", nonce="{nonce}", uri="{uri}", algorithm=MD5'
    if "qop" in params and "auth" in params["qop"].split(","):
        cnonce = rand(12)
        ncs = f"{nc:08x}"
        resp = hashlib.md5(f"{ha1}:{nonce}:{ncs}:{cnonce}:auth:{ha2}".encode()).hexdigest()
        out += f', qop=auth, nc={ncs}, cnonce="{cnonce}", response="{resp}"'
    else:
        resp = hashlib.md5(f"{ha1}:{nonce}:{ha2}".encode()).hexdigest()
        out += f', response="{resp}"'
    if "opaque" in params:
        out += f', opaque="{params["opaque"]}"'
    return out


class UA:
    def __init__(self, user, conn, password=None):
        self.user = user
        self.conn = conn
        self.password = PASSWORDS.get(user, "") if password is None else password
        self.aor = f"sip:{user}@{DOMAIN}"
        self.contact = f"<sip:{user}@{conn.contact_host}{conn.contact_params}>"
        self.cseq = random.randint(1, 1000)
        self.reg_callid = rand(16)
        self.reg_tag = rand(8)

    def build(self, method, ruri, headers, body="", callid=None, ftag=None, to=None, cseq=None,
              contact=True, route=None):
        c = self.conn
        branch = "z9hG4bK" + rand(12)
        lines = [f"{method} {ruri} SIP/2.0",
                 f"Via: SIP/2.0/{c.via_proto} {c.via_host};branch={branch};rport",
                 "Max-Forwards: 70",
                 f"From: <{self.aor}>;tag={ftag or rand(8)}",
                 f"To: {to or '<' + ruri + '>'}",
                 f"Call-ID: {callid or rand(16)}",
                 f"CSeq: {cseq if cseq is not None else self.next_cseq()} {method}"]
        for r in route or []:
            lines.append(f"Route: {r}")
        if contact:
            lines.append(f"Contact: {self.contact}")
        lines += headers
        lines.append("User-Agent: sipprobe")
        lines.append(f"Content-Length: {len(body.encode())}")
        return "\r\n".join(lines) + "\r\n\r\n" + body

    def next_cseq(self):
        self.cseq += 1
        return self.cseq

    def final(self, method, timeout=6.0, on_request=None):
        """Wait for the final response to `method`; answers stray requests via on_request."""
        codes = []
        deadline = time.time() + timeout
        while time.time() < deadline:
            m = self.conn.recv(timeout=deadline - time.time())
            if m is None:
                break
            if m.is_request:
                if on_request:
                    on_request(m)
                continue
            if m.cseq_method != method:
                continue
            codes.append(m.status)
            if m.status >= 200:
                return m, codes
        return None, codes

    def request(self, method, ruri, headers=(), body="", auth=True, **kw):
        """Send, answer a 401/407 once; returns (final response, [status codes seen])."""
        callid = kw.pop("callid", None) or rand(16)
        ftag = kw.pop("ftag", None) or rand(8)
        msg = self.build(method, ruri, list(headers), body, callid=callid, ftag=ftag, **kw)
        self.conn.send(msg)
        resp, codes = self.final(method, on_request=kw.get("on_request"))
        if resp is not None and resp.status in (401, 407) and auth:
            hname = "WWW-Authenticate" if resp.status == 401 else "Proxy-Authenticate"
            aname = "Authorization" if resp.status == 401 else "Proxy-Authorization"
            chal = resp.get(hname)
            cred = digest(self.user, self.password, method, ruri, chal)
            msg = self.build(method, ruri, list(headers) + [f"{aname}: {cred}"], body,
                             callid=callid, ftag=ftag, **kw)
            self.conn.send(msg)
            resp, more = self.final(method)
            codes += more
        return resp, codes

    def register(self, expires=60):
        ruri = f"sip:{DOMAIN}"
        hdrs = [f"Expires: {expires}"]
        callid, tag = self.reg_callid, self.reg_tag
        return self.request("REGISTER", ruri, hdrs, callid=callid, ftag=tag,
                            to=f"<{self.aor}>")

    def respond(self, req, code, reason, extra=(), body="", totag=None):
        lines = [f"SIP/2.0 {code} {reason}"]
        for n in ("via", "record-route"):
            for v in req.get_all(n):
                lines.append(f"{n.title()}: {v}")
        lines.append(f"From: {req.get('from')}")
        to = req.get("to")
        if totag and ";tag=" not in to:
            to += f";tag={totag}"
        lines.append(f"To: {to}")
        lines.append(f"Call-ID: {req.get('call-id')}")
        lines.append(f"CSeq: {req.get('cseq')}")
        lines += list(extra)
        lines.append(f"Content-Length: {len(body.encode())}")
        self.conn.send("\r\n".join(lines) + "\r\n\r\n" + body)


# --------------------------------------------------------------------------- checks

def check_options(t, uri=None):
    c = Conn(t)
    try:
        ua = UA("probe", c)
        ruri = uri or f"sip:{HOST}:{PORTS[t]}" + ("" if t == "udp" else f";transport={'ws' if t in ('ws', 'wss') else t}")
        resp, codes = ua.request("OPTIONS", ruri, auth=False)
        return codes
    finally:
        c.close()


def check_register(t, user, password=None, expires=30):
    c = Conn(t)
    try:
        ua = UA(user, c, password)
        resp, codes = ua.register(expires)
        granted = None
        if resp is not None and resp.status == 200:
            for ct in resp.get_all("contact"):
                m = re.search(r"<[^>]*@" + re.escape(c.contact_host) + r"(?:;[^>]*)?>[^,]*?expires=(\d+)", ct)
                if m:
                    granted = int(m.group(1))
            ua.register(0)  # clean up
        return codes, granted
    finally:
        c.close()


def check_send(t, user, method, ruri, password=None, text="ping"):
    """Out-of-dialog request from `user` (answers one 401/407); returns the status codes seen."""
    c = Conn(t)
    try:
        ua = UA(user, c, password)
        hdrs = ["Content-Type: text/plain"] if method == "MESSAGE" else []
        _, codes = ua.request(method, ruri, hdrs, text if method == "MESSAGE" else "")
        return codes
    finally:
        c.close()


def check_message(t1, t2, u1="alice", u2="bob"):
    c1, c2 = Conn(t1), Conn(t2)
    try:
        a, b = UA(u1, c1), UA(u2, c2)
        ra, ca = a.register(60)
        rb, cb = b.register(60)
        if not (ra and ra.status == 200 and rb and rb.status == 200):
            return {"register": (ca, cb)}
        text = f"hello {u2} from {u1} over {t1}->{t2} {rand(4)}"
        a.conn.send(a.build("MESSAGE", f"sip:{u2}@{DOMAIN}", ["Content-Type: text/plain"], text))
        got = {"sent_codes": []}
        deadline = time.time() + 8
        auth_done = False
        callid = None
        while time.time() < deadline and "final" not in got:
            # poll both flows
            for who, conn in (("b", c2), ("a", c1)):
                m = conn.recv(timeout=0.2)
                if m is None:
                    continue
                if who == "b" and m.is_request and m.method == "MESSAGE":
                    got["delivered"] = m.body
                    got["delivered_from"] = m.get("from")
                    b.respond(m, 200, "OK", totag=rand(6))
                elif who == "a" and not m.is_request:
                    got["sent_codes"].append(m.status)
                    if m.status == 407 and not auth_done:
                        auth_done = True
                        cred = digest(u1, a.password, "MESSAGE", f"sip:{u2}@{DOMAIN}", m.get("proxy-authenticate"))
                        callid = m.get("call-id")
                        ftag = re.search(r"tag=([^;>]+)", m.get("from")).group(1)
                        a.conn.send(a.build("MESSAGE", f"sip:{u2}@{DOMAIN}",
                                            ["Content-Type: text/plain", f"Proxy-Authorization: {cred}"],
                                            text, callid=callid, ftag=ftag))
                    elif m.status >= 200 and m.status != 407:
                        got["final"] = m.status
        got["ok"] = got.get("final") == 200 and got.get("delivered") == text
        a.register(0)
        b.register(0)
        return got
    finally:
        c1.close()
        c2.close()


def check_call(t1, t2, u1="alice", u2="bob"):
    """alice (t1) INVITEs bob (t2) via the proxy; bob answers; ACK; bob hangs up with BYE."""
    c1, c2 = Conn(t1), Conn(t2)
    res = {"caller": [], "callee": []}
    try:
        a, b = UA(u1, c1), UA(u2, c2)
        ra, _ = a.register(60)
        rb, _ = b.register(60)
        if not (ra and ra.status == 200 and rb and rb.status == 200):
            res["error"] = "register failed"
            return res
        sdp = ("v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
               "m=audio 40000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n")
        target = f"sip:{u2}@{DOMAIN}"
        callid, ftag = rand(16), rand(8)
        inv_cseq = a.next_cseq()
        a.conn.send(a.build("INVITE", target, ["Content-Type: application/sdp"], sdp,
                            callid=callid, ftag=ftag, cseq=inv_cseq))
        btag = rand(8)
        deadline = time.time() + 10
        b_invite = None
        a_ok = None
        auth_done = False
        while time.time() < deadline and a_ok is None:
            for who, conn in (("b", c2), ("a", c1)):
                m = conn.recv(timeout=0.2)
                if m is None:
                    continue
                if who == "b" and m.is_request and m.method == "INVITE":
                    b_invite = m
                    res["callee"].append("INVITE")
                    b.respond(m, 180, "Ringing", [f"Contact: {b.contact}"], totag=btag)
                    b.respond(m, 200, "OK", [f"Contact: {b.contact}", "Content-Type: application/sdp"],
                              sdp, totag=btag)
                elif who == "a" and not m.is_request and m.cseq_method == "INVITE":
                    res["caller"].append(m.status)
                    if m.status == 407 and not auth_done:
                        auth_done = True
                        a.conn.send(a.build("ACK", target, [], callid=callid, ftag=ftag, cseq=inv_cseq,
                                            to=m.get("to"), contact=False))
                        cred = digest(u1, a.password, "INVITE", target, m.get("proxy-authenticate"))
                        inv_cseq = a.next_cseq()
                        a.conn.send(a.build("INVITE", target, ["Content-Type: application/sdp",
                                                               f"Proxy-Authorization: {cred}"], sdp,
                                            callid=callid, ftag=ftag, cseq=inv_cseq))
                    elif m.status == 200:
                        a_ok = m
                    elif m.status >= 300 and m.status != 407:
                        res["error"] = f"INVITE failed {m.status}"
                        return res
        if a_ok is None:
            res["error"] = "no 200 for INVITE"
            return res
        # caller: ACK along the route set (Record-Route reversed), to remote Contact
        rr = list(reversed([x.strip() for v in a_ok.get_all("record-route") for x in v.split(",")]))
        remote = re.search(r"<([^>]+)>", a_ok.get("contact")).group(1)
        a.conn.send(a.build("ACK", remote, [], callid=callid, ftag=ftag, cseq=inv_cseq,
                            to=a_ok.get("to"), route=rr, contact=False))
        # callee gets ACK
        ack = None
        deadline = time.time() + 5
        while time.time() < deadline:
            m = c2.recv(timeout=0.5)
            if m is not None and m.is_request and m.method == "ACK":
                ack = m
                break
        res["callee"].append("ACK" if ack else "no-ACK")
        # callee hangs up: BYE along its route set (Record-Route in INVITE order), to caller Contact
        brr = [x.strip() for v in b_invite.get_all("record-route") for x in v.split(",")]
        caller_contact = re.search(r"<([^>]+)>", b_invite.get("contact")).group(1)
        bye = b.build("BYE", caller_contact, [], callid=callid, ftag=btag,
                      to=b_invite.get("from"), route=brr, contact=False)
        # From/To swapped for the callee's request
        bye = bye.replace(f"From: <{b.aor}>;tag={btag}", f"From: {b_invite.get('to')};tag={btag}")
        c2.send(bye)
        deadline = time.time() + 5
        bye_ok = None
        while time.time() < deadline and bye_ok is None:
            m = c1.recv(timeout=0.2)
            if m is not None and m.is_request and m.method == "BYE":
                res["caller"].append("BYE")
                a.respond(m, 200, "OK")
            m = c2.recv(timeout=0.2)
            if m is not None and not m.is_request and m.cseq_method == "BYE":
                bye_ok = m.status
                res["callee"].append(m.status)
        res["ok"] = bool(ack) and bye_ok == 200 and "BYE" in res["caller"]
        a.register(0)
        b.register(0)
        return res
    finally:
        c1.close()
        c2.close()


TRANSPORTS = ["udp", "tcp", "tls", "ws", "wss"]


def run_all():
    fails = 0
    passes = 0

    def report(ok, text):
        nonlocal fails, passes
        print(("PASS " if ok else "FAIL ") + text)
        if ok:
            passes += 1
        else:
            fails += 1

    for t in TRANSPORTS:
        codes = check_options(t)
        report(codes == [200], f"OPTIONS sip:{HOST}:{PORTS[t]} over {t}: {codes}")
    codes = check_options("udp", uri=f"sip:{DOMAIN}")
    report(codes == [200], f"OPTIONS sip:{DOMAIN} over udp: {codes}")
    for t in TRANSPORTS:
        codes, granted = check_register(t, "alice", expires=30)
        report(codes == [401, 200] and granted == 30, f"REGISTER alice over {t}: {codes}, expires granted {granted}")
    codes, _ = check_register("udp", "alice", password="wrong")
    report(codes == [401, 403], f"REGISTER alice wrong password over udp: {codes}")
    codes, granted = check_register("udp", "bob", expires=7200)
    report(codes == [401, 200] and granted == 3600, f"REGISTER bob expires 7200 over udp: {codes}, granted {granted}")
    codes, _ = check_register("udp", "bob", expires=5)
    report(codes == [401, 423], f"REGISTER bob expires 5 over udp: {codes}")
    codes, _ = check_register("udp", "mallory", password="x")
    report(codes == [401, 403], f"REGISTER unknown user mallory over udp: {codes}")
    codes = check_send("tcp", "alice", "MESSAGE", f"sip:carol@{DOMAIN}")
    report(codes == [407, 480], f"MESSAGE alice -> carol (known, not registered) over tcp: {codes}")
    codes = check_send("udp", "alice", "MESSAGE", f"sip:nobody@{DOMAIN}")
    report(codes == [407, 404], f"MESSAGE alice -> nobody (unknown user) over udp: {codes}")
    codes = check_send("udp", "alice", "MESSAGE", f"sip:bob@{DOMAIN}", password="wrong")
    report(codes == [407, 403], f"MESSAGE alice wrong password over udp: {codes}")
    for t1, t2 in [("udp", "udp"), ("ws", "udp"), ("udp", "ws"), ("tcp", "wss"), ("tls", "tcp"), ("wss", "ws")]:
        r = check_message(t1, t2)
        report(bool(r.get("ok")), f"MESSAGE alice/{t1} -> bob/{t2}: sender saw {r.get('sent_codes')}, "
                                   f"delivered={'yes' if r.get('delivered') else 'no'}")
    for t1, t2 in [("udp", "udp"), ("ws", "udp"), ("udp", "wss"), ("tcp", "tls")]:
        r = check_call(t1, t2)
        report(bool(r.get("ok")), f"CALL alice/{t1} -> bob/{t2}: caller {r.get('caller')} callee {r.get('callee')}"
                                  + (f" error={r['error']}" if "error" in r else ""))
    print(f"{passes} passed, {fails} failed")
    return 0 if fails == 0 else 1


def main():
    global VERBOSE
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("cmd", choices=["options", "register", "message", "call", "send", "all"])
    ap.add_argument("--method", default="MESSAGE")
    ap.add_argument("--text", default="ping")
    ap.add_argument("-t", "--transport", default="udp", choices=TRANSPORTS)
    ap.add_argument("-T", "--to-transport", default="udp", choices=TRANSPORTS)
    ap.add_argument("-u", "--user", default="alice")
    ap.add_argument("-U", "--to-user", default="bob")
    ap.add_argument("-p", "--password")
    ap.add_argument("--expires", type=int, default=30)
    ap.add_argument("--uri")
    ap.add_argument("-v", "--verbose", action="store_true")
    a = ap.parse_args()
    VERBOSE = a.verbose
    if a.cmd == "options":
        codes = check_options(a.transport, a.uri)
        print(f"OPTIONS over {a.transport}: {codes}")
        return 0 if codes and codes[-1] == 200 else 1
    if a.cmd == "register":
        codes, granted = check_register(a.transport, a.user, a.password, a.expires)
        print(f"REGISTER {a.user} over {a.transport}: {codes} expires={granted}")
        return 0 if codes and codes[-1] == 200 else 1
    if a.cmd == "send":
        codes = check_send(a.transport, a.user, a.method, a.uri or f"sip:{a.to_user}@{DOMAIN}", a.password, a.text)
        print(f"{a.method} {a.user}/{a.transport} -> {a.uri or a.to_user}: {codes}")
        return 0 if codes and codes[-1] == 200 else 1
    if a.cmd == "message":
        r = check_message(a.transport, a.to_transport, a.user, a.to_user)
        print(f"MESSAGE {a.user}/{a.transport} -> {a.to_user}/{a.to_transport}: {r}")
        return 0 if r.get("ok") else 1
    if a.cmd == "call":
        r = check_call(a.transport, a.to_transport, a.user, a.to_user)
        print(f"CALL {a.user}/{a.transport} -> {a.to_user}/{a.to_transport}: {r}")
        return 0 if r.get("ok") else 1
    return run_all()


if __name__ == "__main__":
    sys.exit(main())

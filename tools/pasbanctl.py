#!/usr/bin/env python3
"""pasbanctl: send one command to Pasban's control socket (Suricata's
unix-command protocol, as suricatasc speaks it) and print the JSON answer.

    pasbanctl.py [-s SOCKET] COMMAND [KEY=VALUE ...]

    pasbanctl.py -s /tmp/pasban.sock reload-rules
    pasbanctl.py dump-counters

Exit status: 0 when the answer's "return" is "OK", 1 when it is "NOK",
2 when the socket cannot be reached or the answer is not JSON.
Standard library only.
"""

import argparse
import json
import socket
import sys

DEFAULT_SOCKET = "/var/run/suricata/suricata-command.socket"
PROTOCOL_VERSION = "0.2"
MAX_ANSWER_BYTES = 64 << 20  # dump-counters of a busy engine stays far below


def read_message(sock, buf):
    """Reads until buf holds one complete JSON value; returns (value, rest)."""
    decoder = json.JSONDecoder()
    while True:
        text = buf.lstrip()
        if text:
            try:
                value, end = decoder.raw_decode(text.decode("utf-8", "replace"))
                rest = text.decode("utf-8", "replace")[end:].encode()
                return value, rest
            except ValueError:
                pass
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("connection closed before a complete answer")
        buf += chunk
        if len(buf) > MAX_ANSWER_BYTES:
            raise ConnectionError("answer larger than %d bytes" % MAX_ANSWER_BYTES)


def parse_arguments(items):
    """KEY=VALUE pairs; a value that reads as JSON (numbers, true) is kept typed."""
    args = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise ValueError("argument %r is not KEY=VALUE" % item)
        try:
            args[key] = json.loads(value)
        except ValueError:
            args[key] = value
    return args


def send_command(path, command, arguments=None, timeout=None):
    """Connects, does the version handshake, sends one command, returns the answer."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.settimeout(timeout)
        sock.connect(path)
        sock.sendall(json.dumps({"version": PROTOCOL_VERSION}).encode())
        hello, rest = read_message(sock, b"")
        if hello.get("return") != "OK":
            return hello
        request = {"command": command}
        if arguments:
            request["arguments"] = arguments
        sock.sendall(json.dumps(request).encode())
        answer, _ = read_message(sock, rest)
        return answer


def main(argv=None):
    p = argparse.ArgumentParser(description="Send a command to Pasban's control socket.")
    p.add_argument("-s", "--socket", default=DEFAULT_SOCKET, help="socket path (default: %(default)s)")
    p.add_argument("-t", "--timeout", type=float, default=None, help="seconds to wait for the answer")
    p.add_argument("command", help="command name (command-list lists them)")
    p.add_argument("arguments", nargs="*", help="KEY=VALUE arguments")
    opts = p.parse_args(argv)
    try:
        arguments = parse_arguments(opts.arguments)
    except ValueError as e:
        print("pasbanctl: %s" % e, file=sys.stderr)
        return 2
    try:
        answer = send_command(opts.socket, opts.command, arguments, opts.timeout)
    except (OSError, ConnectionError) as e:
        print("pasbanctl: %s: %s" % (opts.socket, e), file=sys.stderr)
        return 2
    print(json.dumps(answer))
    if not isinstance(answer, dict):
        return 2
    return 0 if answer.get("return") == "OK" else 1


if __name__ == "__main__":
    sys.exit(main())

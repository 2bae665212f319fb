"""HTTP files: a download named by Content-Disposition, then a
multipart/form-data upload whose one file part is a file of its own (the
plain form field is not)."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "..", "..", "..", "tools", "pcapgen"))
from pcapgen import TcpConversation, Writer  # noqa: E402

DOWNLOAD = bytes((i * 7 + 3) % 251 for i in range(2000))
UPLOAD = b"%PDF-1.4\n" + b"UPLOAD-MARKER quarterly report\n" * 10

RESPONSE = (
    b"HTTP/1.1 200 OK\r\n"
    b"Content-Type: application/octet-stream\r\n"
    b"Content-Disposition: attachment; filename=\"payload.bin\"\r\n"
    b"Content-Length: " + str(len(DOWNLOAD)).encode() + b"\r\n"
    b"\r\n" + DOWNLOAD)

BODY = (
    b"--XyZb0undary\r\n"
    b"Content-Disposition: form-data; name=\"comment\"\r\n"
    b"\r\n"
    b"just a field\r\n"
    b"--XyZb0undary\r\n"
    b"Content-Disposition: form-data; name=\"doc\"; filename=\"report.pdf\"\r\n"
    b"Content-Type: application/pdf\r\n"
    b"\r\n" + UPLOAD + b"\r\n"
    b"--XyZb0undary--\r\n")

UPLOAD_REQUEST = (
    b"POST /upload.php HTTP/1.1\r\n"
    b"Host: files.example\r\n"
    b"Content-Type: multipart/form-data; boundary=XyZb0undary\r\n"
    b"Content-Length: " + str(len(BODY)).encode() + b"\r\n"
    b"\r\n" + BODY)

if __name__ == "__main__":
    with Writer(sys.argv[1]) as w:
        c = TcpConversation(w, ("10.0.7.1", 51000), ("10.0.7.2", 80))
        c.handshake()
        c.send(b"GET /get?id=1 HTTP/1.1\r\nHost: files.example\r\n\r\n", from_client=True)
        w.advance(0.01)
        for i in range(0, len(RESPONSE), 700):
            c.send(RESPONSE[i:i + 700], from_client=False)
            w.advance(0.01)
        for i in range(0, len(UPLOAD_REQUEST), 200):
            c.send(UPLOAD_REQUEST[i:i + 200], from_client=True)
            w.advance(0.01)
        c.send(b"HTTP/1.1 204 No Content\r\n\r\n", from_client=False)
        w.advance(0.01)
        c.close()

"""A local TLS server for every host's TLS tests: a self-signed certificate (made with the
openssl command), or an old TLS version only. It logs each connection, each handshake that
failed and each request it read, one line each, to --log; a request gets a CAMS-like 200.

    python3 tls_server.py --port-file F --log F [--tls-max 1.1]
"""

import argparse
import os
import socket
import ssl
import subprocess
import tempfile


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--log", required=True)
    ap.add_argument("--tls-max", choices=["1.1"], default=None)
    args = ap.parse_args()

    work = tempfile.mkdtemp(prefix="camskit-tls-")
    cert, key = os.path.join(work, "cert.pem"), os.path.join(work, "key.pem")
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
         "-nodes", "-keyout", key, "-out", cert, "-days", "2", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1"],
        check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    if args.tls_max == "1.1":
        ctx.set_ciphers("DEFAULT:@SECLEVEL=0")
        ctx.minimum_version = ssl.TLSVersion.TLSv1
        ctx.maximum_version = ssl.TLSVersion.TLSv1_1

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    log = open(args.log, "a", buffering=1)
    with open(args.port_file + ".tmp", "w") as f:
        f.write(str(listener.getsockname()[1]))
    os.replace(args.port_file + ".tmp", args.port_file)

    while True:
        conn, _ = listener.accept()
        log.write("connection\n")
        conn.settimeout(10)
        try:
            tls = ctx.wrap_socket(conn, server_side=True)
        except (ssl.SSLError, OSError) as e:
            log.write(f"handshake failed: {e}\n")
            conn.close()
            continue
        try:
            data = tls.recv(65536)
            if data:
                log.write("request\n")
                body = b'{"RequestId":"R","Code":"OK","Message":"OK"}'
                tls.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                            + str(len(body)).encode() + b"\r\nConnection: close\r\n\r\n" + body)
        except (ssl.SSLError, OSError) as e:
            log.write(f"after the handshake: {e}\n")
        finally:
            tls.close()


if __name__ == "__main__":
    main()

"""A TCP proxy in front of a real S3 server that misbehaves on its first connections, for the
retry tests of LakeAWS.

    flaky_proxy.py LISTEN_PORT UPSTREAM_PORT PLAN

PLAN is a comma-separated list, one entry per accepted connection in order; connections after
the list are passed through untouched:
  reset            read the request, then reset the connection (nothing reaches the server)
  forward-reset    forward the request to the server, read its answer, then reset the connection
                   instead of answering (the request took effect; the client cannot know)
  slowdown         answer 503 with an S3 SlowDown error body
  pass             pass the connection through
Every connection handles one request and closes, except "pass" connections, which are piped.
`GET /__proxy_ready` answers 200 so the test harness can wait for the proxy (not counted in PLAN).
"""
import socket
import struct
import sys
import threading

listen_port, upstream_port, plan = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3].split(",") if sys.argv[3] else []
lock = threading.Lock()


def read_request(conn):
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            return None
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    while len(body) < length:
        chunk = conn.recv(65536)
        if not chunk:
            break
        body += chunk
    return head + b"\r\n\r\n" + body


def reset(conn):
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    conn.close()


def pipe(src, dst):
    try:
        while True:
            chunk = src.recv(65536)
            if not chunk:
                break
            dst.sendall(chunk)
    except OSError:
        pass
    finally:
        for s in (src, dst):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


def handle(conn):
    first = conn.recv(65536, socket.MSG_PEEK)
    if first.startswith(b"GET /__proxy_ready"):
        read_request(conn)
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
        conn.close()
        return
    with lock:
        mode = plan.pop(0) if plan else "pass"
    sys.stderr.write(f"connection: {mode}\n")
    sys.stderr.flush()
    if mode == "pass":
        upstream = socket.create_connection(("127.0.0.1", upstream_port))
        threading.Thread(target=pipe, args=(upstream, conn), daemon=True).start()
        pipe(conn, upstream)
        return
    request = read_request(conn)
    if request is None:
        conn.close()
        return
    if mode == "reset":
        reset(conn)
    elif mode == "forward-reset":
        upstream = socket.create_connection(("127.0.0.1", upstream_port))
        upstream.sendall(request)
        upstream.settimeout(30)
        answer = b""
        try:
            while b"\r\n\r\n" not in answer:
                chunk = upstream.recv(65536)
                if not chunk:
                    break
                answer += chunk
        finally:
            upstream.close()
        reset(conn)
    elif mode == "slowdown":
        body = (b"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>SlowDown</Code>"
                b"<Message>Please reduce your request rate.</Message><RequestId>proxy</RequestId></Error>")
        conn.sendall(b"HTTP/1.1 503 Slow Down\r\nContent-Type: application/xml\r\nConnection: close\r\n"
                     + b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body)
        conn.close()


def main():
    server = socket.socket()
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", listen_port))
    server.listen(64)
    while True:
        conn, _ = server.accept()
        threading.Thread(target=handle, args=(conn,), daemon=True).start()


if __name__ == "__main__":
    main()

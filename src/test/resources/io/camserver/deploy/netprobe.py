# Reachability probes for the namespace tests (run with /usr/bin/python3 inside a namespace).
#   netprobe.py listen PORT...        accept and close TCP connections on every port, forever
#   netprobe.py tcp HOST PORT...      one word per port: open, refused or filtered (no answer)
#   netprobe.py dns SERVER NAME       the A record SERVER gives for NAME, or its rcode, or timeout
import selectors
import socket
import struct
import sys


def tcp(host, port):
    s = socket.socket()
    s.settimeout(0.7)
    try:
        s.connect((host, int(port)))
        return "open"
    except socket.timeout:
        return "filtered"
    except ConnectionRefusedError:
        return "refused"
    except OSError as e:
        return "error%d" % e.errno
    finally:
        s.close()


def dns(server, name):
    labels = b"".join(bytes([len(p)]) + p.encode() for p in name.split("."))
    query = struct.pack(">HHHHHH", 0x1234, 0x0100, 1, 0, 0, 0) + labels + b"\0" + struct.pack(">HH", 1, 1)
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(2)
    s.sendto(query, (server, 53))
    try:
        reply = s.recv(512)
    except socket.timeout:
        return "timeout"
    answers = struct.unpack(">H", reply[6:8])[0]
    if answers == 0:
        return "rcode%d" % (reply[3] & 0xF)
    return ".".join(str(b) for b in reply[-4:])


def listen(ports):
    sel = selectors.DefaultSelector()
    for port in ports:
        s = socket.socket()
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("0.0.0.0", int(port)))
        s.listen(16)
        sel.register(s, selectors.EVENT_READ)
    print("listening", flush=True)
    while True:
        for key, _ in sel.select():
            conn, _ = key.fileobj.accept()
            conn.close()


if __name__ == "__main__":
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "listen":
        listen(args)
    elif cmd == "tcp":
        print(" ".join(tcp(args[0], p) for p in args[1:]))
    elif cmd == "dns":
        print(dns(args[0], args[1]))

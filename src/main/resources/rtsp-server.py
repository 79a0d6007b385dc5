#!/usr/bin/python3
"""A real RTSP server for the tests: GStreamer's gst-rtsp-server serving MP4 files.

usage: rtsp-server.py PORT [--user USER:PASS] MOUNT=FILE.mp4 ...
Each mount serves its file (H.264 or H.265, told by the file's codec) over RTP, TCP or UDP, one
pipeline per client; at the end of the file the stream ends (clients see the end and reconnect).
Prints "READY <port>" on stdout once listening.
"""
import subprocess
import sys

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import GLib, Gst, GstRtspServer  # noqa: E402


def codec_of(path):
    out = subprocess.run(["ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries", "stream=codec_name",
                          "-of", "csv=p=0", path], capture_output=True, text=True, check=True).stdout.strip()
    return out


def main():
    Gst.init(None)
    port = sys.argv[1]
    user = None
    mounts = []
    args = sys.argv[2:]
    i = 0
    while i < len(args):
        if args[i] == "--user":
            user = args[i + 1]
            i += 2
            continue
        mount, path = args[i].split("=", 1)
        mounts.append((mount, path))
        i += 1
    server = GstRtspServer.RTSPServer()
    server.set_address("127.0.0.1")
    server.set_service(port)
    table = server.get_mount_points()
    for mount, path in mounts:
        codec = codec_of(path)
        parse, pay = ("h265parse", "rtph265pay") if codec == "hevc" else ("h264parse", "rtph264pay")
        factory = GstRtspServer.RTSPMediaFactory()
        factory.set_launch(f"( filesrc location={path} ! qtdemux ! {parse} ! {pay} name=pay0 pt=96 config-interval=1 )")
        factory.set_shared(False)
        if user:
            factory.add_role_from_structure(Gst.Structure.from_string(
                "viewer, media.factory.access=(boolean)true, media.factory.construct=(boolean)true")[0])
        table.add_factory("/" + mount, factory)
    if user:
        auth = GstRtspServer.RTSPAuth()
        name, password = user.split(":", 1)
        token = GstRtspServer.RTSPToken()
        token.set_string("media.factory.role", "viewer")
        auth.add_basic(GstRtspServer.RTSPAuth.make_basic(name, password), token)
        server.set_auth(auth)
    if server.attach(None) == 0:
        print("FAILED to listen on", port, flush=True)
        sys.exit(1)
    print("READY", server.get_bound_port(), flush=True)
    GLib.MainLoop().run()


if __name__ == "__main__":
    main()

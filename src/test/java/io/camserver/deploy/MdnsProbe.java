package io.camserver.deploy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.MulticastSocket;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * What a camera does, in miniature, run inside the camera-side network namespace: resolve a
 * {@code .local} name by an mDNS query (multicast to 224.0.0.251:5353), then send the firmware's
 * registration to the resolved address. Prints {@code resolved <ip>} and the registration reply.
 *
 * <p>usage: MdnsProbe NAME INTERFACE PORT CAMERA_IP TOKEN
 */
public final class MdnsProbe {
    private MdnsProbe() {
    }

    public static void main(String[] a) throws Exception {
        String name = a[0];
        NetworkInterface nif = NetworkInterface.getByName(a[1]);
        int port = Integer.parseInt(a[2]);
        InetAddress group = InetAddress.getByName("224.0.0.251");
        InetAddress resolved = null;
        try (MulticastSocket s = new MulticastSocket(5353)) {
            s.setNetworkInterface(nif);
            s.joinGroup(new InetSocketAddress(group, 5353), nif);
            s.setSoTimeout(1000);
            byte[] query = query(name);
            long deadline = System.currentTimeMillis() + 15_000;
            while (resolved == null && System.currentTimeMillis() < deadline) {
                s.send(new DatagramPacket(query, query.length, group, 5353));
                long until = System.currentTimeMillis() + 1000;
                while (resolved == null && System.currentTimeMillis() < until) {
                    byte[] buf = new byte[9000];
                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                    try {
                        s.receive(p);
                    } catch (SocketTimeoutException e) {
                        break;
                    }
                    resolved = answer(buf, p.getLength(), name);
                }
            }
        }
        if (resolved == null) {
            System.out.println("unresolved " + name);
            System.exit(3);
        }
        System.out.println("resolved " + resolved.getHostAddress());
        String req = "GET /register?ip=" + a[3] + "&token=" + a[4] + " HTTP/1.1\r\nHost: " + name + "\r\nConnection: close\r\n\r\n";
        try (Socket sock = new Socket(resolved, port)) {
            sock.setSoTimeout(5000);
            OutputStream out = sock.getOutputStream();
            out.write(req.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = sock.getInputStream();
            String reply = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            System.out.println("reply " + reply.replace("\r\n", " | "));
        }
    }

    static byte[] query(String name) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(new byte[] {0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0}); // id 0, flags 0, one question
        for (String label : name.split("\\.")) {
            b.write(label.length());
            b.write(label.getBytes(StandardCharsets.US_ASCII));
        }
        b.write(new byte[] {0, 0, 1, 0, 1}); // root, type A, class IN
        return b.toByteArray();
    }

    /** The address of an A record for {@code name} in a response, or null. */
    static InetAddress answer(byte[] m, int len, String name) throws IOException {
        if (len < 12 || (m[2] & 0x80) == 0) {
            return null; // not a response
        }
        int qd = ((m[4] & 0xff) << 8) | (m[5] & 0xff);
        int an = ((m[6] & 0xff) << 8) | (m[7] & 0xff);
        int ns = ((m[8] & 0xff) << 8) | (m[9] & 0xff);
        int ar = ((m[10] & 0xff) << 8) | (m[11] & 0xff);
        int[] pos = {12};
        for (int i = 0; i < qd; i++) {
            readName(m, pos);
            pos[0] += 4;
        }
        for (int i = 0; i < an + ns + ar && pos[0] < len; i++) {
            String n = readName(m, pos);
            int type = ((m[pos[0]] & 0xff) << 8) | (m[pos[0] + 1] & 0xff);
            int rdlen = ((m[pos[0] + 8] & 0xff) << 8) | (m[pos[0] + 9] & 0xff);
            pos[0] += 10;
            if (type == 1 && rdlen == 4 && n.equalsIgnoreCase(name)) {
                byte[] ip = {m[pos[0]], m[pos[0] + 1], m[pos[0] + 2], m[pos[0] + 3]};
                return InetAddress.getByAddress(ip);
            }
            pos[0] += rdlen;
        }
        return null;
    }

    private static String readName(byte[] m, int[] pos) {
        StringBuilder sb = new StringBuilder();
        int p = pos[0];
        boolean jumped = false;
        for (int guard = 0; guard < 128; guard++) {
            int l = m[p] & 0xff;
            if (l == 0) {
                p++;
                break;
            }
            if ((l & 0xc0) == 0xc0) {
                int target = ((l & 0x3f) << 8) | (m[p + 1] & 0xff);
                if (!jumped) {
                    pos[0] = p + 2;
                }
                jumped = true;
                p = target;
                continue;
            }
            if (sb.length() > 0) {
                sb.append('.');
            }
            sb.append(new String(m, p + 1, l, StandardCharsets.US_ASCII));
            p += l + 1;
        }
        if (!jumped) {
            pos[0] = p;
        }
        return sb.toString();
    }
}

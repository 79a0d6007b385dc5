package io.camserver.app;

import io.camserver.sim.CameraFrames;
import io.camserver.sim.SimulatedCamera;
import io.camserver.vision.opencv.OpenCvRuntime;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/** {@code camserver simulate-camera}: an ESP32-CAM with the demo firmware, in software. */
final class SimulateCameraCommand {
    static final String USAGE = """
            usage: camserver simulate-camera --images DIR [--port P] [--fps N] [--register http://HOST:PORT] [--bind ADDR] [--ip ADDR]
              Serves /stream?token=... (MJPEG 640x480, one client at a time) and /cam-hi.jpg from the images in DIR,
              answers a missing or wrong token with 401, and registers with the firmware's exact request every 15 s
              while idle and right after a stream ends.
              --port P      listen port (default 8081; 0 = any free port)
              --fps N       frame rate (default 10)
              --register U  the camserver to register with (default: do not register)
              --bind ADDR   listen address (default 127.0.0.1)
              --ip ADDR     address to announce in the registration (default: the bind address)
            """;

    private final PrintStream out;

    SimulateCameraCommand(PrintStream out) {
        this.out = out;
    }

    int run(List<String> argv) throws IOException, InterruptedException {
        Args args = new Args(argv, Set.of("images", "port", "fps", "register", "bind", "ip"), Set.of());
        Path images = args.value("images").map(Path::of).orElseThrow(() -> new UsageException("--images DIR is required\n" + USAGE));
        int port = args.value("port").map(v -> Args.parseInt("--port", v)).orElse(8081);
        double fps = args.value("fps").map(v -> (double) Args.parseFloat("--fps", v)).orElse(10.0);
        URI register = args.value("register").map(URI::create).orElse(null);
        InetAddress bind = InetAddress.getByName(args.value("bind").orElse("127.0.0.1"));
        String ip = args.value("ip").orElse(bind.getHostAddress());
        OpenCvRuntime.load();
        SimulatedCamera cam = new SimulatedCamera(CameraFrames.loadFrames(images), fps, port, register, ip, Duration.ofSeconds(15), bind)
                .start();
        out.println("simulated camera: http://" + bind.getHostAddress() + ":" + cam.port() + "/stream?token=" + cam.token()
                + (register == null ? "" : "  (registering with " + register + " as ip=" + cam.ip() + ")"));
        return ServeCommand.awaitShutdown(cam);
    }
}

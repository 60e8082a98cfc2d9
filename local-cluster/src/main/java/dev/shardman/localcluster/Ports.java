package dev.shardman.localcluster;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Whether a TCP port on 127.0.0.1 can be listened on. */
final class Ports {
    private Ports() {
    }

    /**
     * Binding is the honest test: it also fails when a server listens on all addresses
     * (0.0.0.0), which a connect to 127.0.0.1 might not reveal in time.
     */
    static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(Conninfo.HOST), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}

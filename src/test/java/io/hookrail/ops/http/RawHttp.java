package io.hookrail.ops.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/** A raw HTTP/1.1 client socket, for clients that send half a request or trickle one. */
final class RawHttp implements AutoCloseable {

    private final Socket socket;

    RawHttp(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(200);
    }

    void send(String text) throws IOException {
        socket.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
    }

    /**
     * Reads what the server sends until it closes the connection or {@code waitMillis} pass.
     *
     * @return what was read until the server closed the connection (or, still open, what was read by then); null
     *         when the connection is still open after {@code waitMillis} and nothing came
     */
    String readUntilClosed(long waitMillis) throws IOException {
        ByteArrayOutputStream read = new ByteArrayOutputStream();
        InputStream in = socket.getInputStream();
        long deadline = System.nanoTime() + waitMillis * 1_000_000;
        byte[] buffer = new byte[4096];
        while (System.nanoTime() < deadline) {
            try {
                int n = in.read(buffer);
                if (n < 0) {
                    return read.toString(StandardCharsets.US_ASCII);
                }
                read.write(buffer, 0, n);
            } catch (SocketTimeoutException stillOpen) {
                // look again until the deadline
            } catch (IOException reset) {
                return read.toString(StandardCharsets.US_ASCII);
            }
        }
        return read.size() == 0 ? null : read.toString(StandardCharsets.US_ASCII);
    }

    /** A complete request; returns the response's head and body as text, read until its Content-Length is in. */
    String exchange(String request) throws IOException {
        send(request);
        ByteArrayOutputStream read = new ByteArrayOutputStream();
        InputStream in = socket.getInputStream();
        long deadline = System.nanoTime() + 10_000_000_000L;
        byte[] buffer = new byte[4096];
        while (System.nanoTime() < deadline) {
            try {
                int n = in.read(buffer);
                if (n < 0) {
                    break;
                }
                read.write(buffer, 0, n);
                String text = read.toString(StandardCharsets.US_ASCII);
                int head = text.indexOf("\r\n\r\n");
                java.util.regex.Matcher length = java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)")
                        .matcher(text);
                if (head >= 0 && (length.find() ? text.length() - head - 4 >= Integer.parseInt(length.group(1))
                        : text.endsWith("\r\n0\r\n\r\n"))) {
                    return text;
                }
            } catch (SocketTimeoutException wait) {
                // read again
            }
        }
        return read.toString(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}

package dev.procpool.demo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The demo's stand-in for the web: an HTTP server on 127.0.0.1 (a free port) that answers every {@code GET /page/...}
 * with the same page, after a fixed delay. Each request is served on its own virtual thread
 * ({@code procpool-demo-server-N}), so requests wait out their delay side by side, as a real server's would.
 * Thread-safe; {@link #close()} stops it.
 */
final class PageServer implements AutoCloseable {

    private static final String PATH = "/page/";

    private final HttpServer server;
    private final ExecutorService handlers;
    private final byte[] page;
    private final Duration latency;

    private PageServer(HttpServer server, ExecutorService handlers, byte[] page, Duration latency) {
        this.server = server;
        this.handlers = handlers;
        this.page = page;
        this.latency = latency;
    }

    /** Starts a server that answers with a page of {@code pageBytes} bytes, {@code latency} after each request. */
    static PageServer start(int pageBytes, Duration latency) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        ExecutorService handlers = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("procpool-demo-server-", 1).factory());
        PageServer pages = new PageServer(server, handlers, text(pageBytes), latency);
        server.createContext(PATH, pages::answer);
        server.setExecutor(handlers);
        server.start();
        return pages;
    }

    /** The address of page {@code number}. */
    URI page(int number) {
        InetSocketAddress address = server.getAddress();
        return URI.create("http://" + address.getAddress().getHostAddress() + ":" + address.getPort() + PATH + number);
    }

    /** Where the pages are served: {@code http://127.0.0.1:PORT/page/}. */
    URI pages() {
        return page(0).resolve(".");
    }

    private void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"GET".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            try {
                // The delay is what this server is for: the time a distant server takes to answer.
                Thread.sleep(latency);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                exchange.sendResponseHeaders(503, -1);
                return;
            }
            exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
            exchange.sendResponseHeaders(200, page.length == 0 ? -1 : page.length);
            try (OutputStream body = exchange.getResponseBody()) {
                body.write(page);
            }
        }
    }

    /** Lines of text up to exactly {@code bytes} bytes. */
    private static byte[] text(int bytes) {
        byte[] line = "procpool demo: a page of text, served after a delay as if from a distant server.\n"
                .getBytes(StandardCharsets.US_ASCII);
        byte[] page = new byte[bytes];
        for (int i = 0; i < bytes; i++) {
            page[i] = line[i % line.length];
        }
        return page;
    }

    /** Stops listening, ends any request still being served, and waits up to a second for their threads. */
    @Override
    public void close() {
        server.stop(0);
        handlers.shutdownNow();
        try {
            handlers.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

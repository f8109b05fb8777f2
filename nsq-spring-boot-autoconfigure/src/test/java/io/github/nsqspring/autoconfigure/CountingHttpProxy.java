package io.github.nsqspring.autoconfigure;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A loopback HTTP proxy in front of one server (an nsqd's HTTP port): it forwards each request it
 * receives and records when it arrived and its path and query, so a test counts the requests a client
 * really made.
 */
final class CountingHttpProxy implements AutoCloseable {

	private final HttpServer server;

	private final String target;

	private final HttpClient http = HttpClient.newHttpClient();

	private final List<Request> requests = new CopyOnWriteArrayList<>();

	CountingHttpProxy(String targetAddress) throws IOException {
		this.target = "http://" + targetAddress;
		this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		this.server.createContext("/", this::forward);
		this.server.start();
	}

	/** {@code 127.0.0.1:port} of the proxy. */
	String address() {
		return "127.0.0.1:" + this.server.getAddress().getPort();
	}

	/** Every request received so far, in order. */
	List<Request> requests() {
		return List.copyOf(this.requests);
	}

	private void forward(HttpExchange exchange) throws IOException {
		this.requests.add(new Request(System.nanoTime(), exchange.getRequestURI().toString()));
		try (exchange) {
			HttpResponse<byte[]> response = this.http.send(
					HttpRequest.newBuilder(URI.create(this.target + exchange.getRequestURI())).GET().build(),
					HttpResponse.BodyHandlers.ofByteArray());
			exchange.sendResponseHeaders(response.statusCode(), response.body().length);
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(response.body());
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public void close() {
		this.server.stop(0);
	}

	/** A request as it arrived: when ({@link System#nanoTime()}) and its path and query. */
	record Request(long nanos, String pathAndQuery) {
	}

}

package io.github.nsqspring.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/**
 * One nsqd or nsqlookupd {@link ServerProcess} with a TCP and an HTTP port, ready when it answers
 * {@code /ping}; also its HTTP client.
 */
final class NsqProcess implements AutoCloseable {

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private final String executable;

	private final ServerProcess process;

	NsqProcess(String executable, Function<NsqProcess, List<String>> arguments) {
		this.executable = executable;
		this.process = new ServerProcess(executable, () -> NsqBinaries.find(executable), 2,
				(process) -> arguments.apply(this), this::pings);
	}

	int tcpPort() {
		return this.process.port(0);
	}

	int httpPort() {
		return this.process.port(1);
	}

	Path directory() {
		return this.process.directory();
	}

	boolean isRunning() {
		return this.process.isRunning();
	}

	long pid() {
		return this.process.pid();
	}

	/**
	 * Starts the process and waits until it answers {@code /ping}. The first start picks free ports; a
	 * restart keeps them, so clients reconnect to the same addresses.
	 */
	void start() {
		this.process.start();
	}

	/** Stops the process (SIGTERM, then SIGKILL after a grace period) and keeps its data directory. */
	void stop() {
		this.process.stop();
	}

	@Override
	public void close() {
		this.process.close();
	}

	String get(String path) {
		return request(HttpRequest.newBuilder(uri(path)).GET());
	}

	String post(String path, byte[] body) {
		return request(HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofByteArray(body)));
	}

	private URI uri(String path) {
		return URI.create("http://127.0.0.1:" + httpPort() + path);
	}

	private String request(HttpRequest.Builder builder) {
		try {
			HttpResponse<String> response = HTTP.send(builder.timeout(Duration.ofSeconds(10)).build(),
					HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
			if (response.statusCode() != 200) {
				throw new IllegalStateException(this.executable + " answered " + response.statusCode() + " to "
						+ response.request().method() + " " + response.uri() + ": " + response.body());
			}
			return response.body();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(this.executable + " request failed: " + builder.build().uri(), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted", ex);
		}
	}

	private boolean pings() {
		try {
			return "OK".equals(get("/ping").trim());
		}
		catch (RuntimeException ex) {
			return false;
		}
	}

}

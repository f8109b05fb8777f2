package io.github.nsqspring.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Stream;

import javax.net.ssl.SSLContext;

import org.jspecify.annotations.Nullable;

/**
 * One nsqd or nsqlookupd child process on loopback ports, with its own temporary directory. It can be
 * stopped and started again on the same ports; {@link #close()} stops it and removes the directory. Other
 * test servers (PostgreSQL) reuse it with their own command and readiness check.
 */
final class ServerProcess implements AutoCloseable {

	private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(15);

	private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

	private static final int START_ATTEMPTS = 3;

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private final String executable;

	private final Function<ServerProcess, List<String>> command;

	private final Predicate<ServerProcess> ready;

	private final Path directory;

	private final Thread shutdownHook;

	private int tcpPort;

	private int httpPort;

	private @Nullable Process process;

	private HttpClient http = HTTP;

	private String scheme = "http";

	/** An NSQ executable found by {@link NsqBinaries}, ready when it answers {@code /ping}. */
	ServerProcess(String executable, Function<ServerProcess, List<String>> arguments) {
		this(executable, (process) -> {
			List<String> command = new ArrayList<>();
			command.add(NsqBinaries.find(executable).toString());
			command.addAll(arguments.apply(process));
			return command;
		}, ServerProcess::pings);
	}

	/**
	 * Any program.
	 * @param executable the program's name, for the directory, the log and messages
	 * @param command the full command line, given the process (its ports and directory)
	 * @param ready whether the started program accepts clients
	 */
	ServerProcess(String executable, Function<ServerProcess, List<String>> command, Predicate<ServerProcess> ready) {
		this.executable = executable;
		this.command = command;
		this.ready = ready;
		try {
			this.directory = Files.createTempDirectory(executable + "-");
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot create a temporary directory for " + executable, ex);
		}
		this.shutdownHook = new Thread(this::destroyNow, executable + "-shutdown");
	}

	/** Talks HTTPS with the context to the HTTP port (nsqd's {@code --https-address}) from now on. */
	void useHttps(SSLContext context) {
		this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).sslContext(context).build();
		this.scheme = "https";
	}

	int tcpPort() {
		return this.tcpPort;
	}

	int httpPort() {
		return this.httpPort;
	}

	Path directory() {
		return this.directory;
	}

	synchronized boolean isRunning() {
		return this.process != null && this.process.isAlive();
	}

	synchronized long pid() {
		return (this.process != null) ? this.process.pid() : -1;
	}

	/**
	 * Starts the process and waits until it answers {@code /ping}. The first start picks free ports; a
	 * restart keeps them, so clients reconnect to the same addresses.
	 */
	synchronized void start() {
		if (isRunning()) {
			return;
		}
		boolean keepPorts = this.tcpPort != 0;
		IllegalStateException failure = null;
		for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
			if (!keepPorts) {
				this.tcpPort = freePort();
				this.httpPort = freePort();
			}
			try {
				launch();
				return;
			}
			catch (IllegalStateException ex) {
				failure = ex;
				destroyNow();
			}
		}
		throw failure;
	}

	/** Stops the process (SIGTERM, then SIGKILL after a grace period) and keeps its data directory. */
	synchronized void stop() {
		if (this.process == null) {
			return;
		}
		this.process.destroy();
		try {
			if (!this.process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
				this.process.destroyForcibly().waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.process.destroyForcibly();
		}
		this.process = null;
		removeShutdownHook();
	}

	/** Kills the process at once (SIGKILL, as {@code kill -9}) and keeps its ports and data directory. */
	synchronized void kill() {
		if (this.process != null) {
			destroyNow();
		}
	}

	/**
	 * Freezes (SIGSTOP) or thaws (SIGCONT) the process and waits until the kernel shows it stopped or
	 * running: a frozen process keeps its sockets, and the kernel still accepts connections for it, but it
	 * answers nothing.
	 */
	synchronized void freeze(boolean frozen) {
		if (this.process == null) {
			throw new IllegalStateException(this.executable + " is not running");
		}
		long pid = this.process.pid();
		try {
			Process kill = new ProcessBuilder("kill", frozen ? "-STOP" : "-CONT", Long.toString(pid)).inheritIO().start();
			if (kill.waitFor() != 0) {
				throw new IllegalStateException("kill " + (frozen ? "-STOP " : "-CONT ") + pid + " failed");
			}
			Path stat = Path.of("/proc", Long.toString(pid), "stat");
			long deadline = System.nanoTime() + STOP_TIMEOUT.toNanos();
			while (isStopped(Files.readString(stat)) != frozen) {
				if (System.nanoTime() > deadline) {
					throw new IllegalStateException(this.executable + " did not " + (frozen ? "stop" : "continue"));
				}
				sleep(5);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot signal " + this.executable, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while signalling " + this.executable, ex);
		}
	}

	/** Whether /proc/pid/stat ("pid (comm) state ...") shows the process stopped: the state follows the last ')'. */
	private static boolean isStopped(String stat) {
		int end = stat.lastIndexOf(')');
		return stat.charAt(end + 2) == 'T';
	}

	@Override
	public synchronized void close() {
		stop();
		deleteDirectory();
	}

	String get(String path) {
		return request(HttpRequest.newBuilder(uri(path)).GET());
	}

	String post(String path, byte[] body) {
		return request(HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofByteArray(body)));
	}

	private URI uri(String path) {
		return URI.create(this.scheme + "://127.0.0.1:" + this.httpPort + path);
	}

	private String request(HttpRequest.Builder builder) {
		try {
			HttpResponse<String> response = this.http.send(builder.timeout(Duration.ofSeconds(10)).build(),
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

	private void launch() {
		List<String> command = this.command.apply(this);
		Path log = this.directory.resolve(this.executable + ".log");
		try {
			this.process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
				.start();
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot start " + command + ": " + ex.getMessage(), ex);
		}
		Runtime.getRuntime().addShutdownHook(this.shutdownHook);
		long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
		while (System.nanoTime() < deadline) {
			if (!this.process.isAlive()) {
				throw new IllegalStateException(this.executable + " exited with " + this.process.exitValue()
						+ " right after start; command " + command + "; log:\n" + tail(log));
			}
			if (this.ready.test(this)) {
				return;
			}
			sleep(20);
		}
		throw new IllegalStateException(this.executable + " did not become ready within " + STARTUP_TIMEOUT
				+ "; command " + command + "; log:\n" + tail(log));
	}

	private boolean pings() {
		try {
			return "OK".equals(get("/ping").trim());
		}
		catch (RuntimeException ex) {
			return false;
		}
	}

	private synchronized void destroyNow() {
		if (this.process != null) {
			this.process.destroyForcibly();
			try {
				this.process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			this.process = null;
		}
		removeShutdownHook();
	}

	private void removeShutdownHook() {
		try {
			Runtime.getRuntime().removeShutdownHook(this.shutdownHook);
		}
		catch (IllegalStateException | IllegalArgumentException ex) {
			// the JVM is shutting down (the hook is running) or the hook was not registered
		}
	}

	private void deleteDirectory() {
		if (!Files.exists(this.directory)) {
			return;
		}
		try (Stream<Path> paths = Files.walk(this.directory)) {
			paths.sorted(Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot delete " + this.directory, ex);
		}
	}

	private static String tail(Path log) {
		try {
			List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
			return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
		}
		catch (IOException ex) {
			return "(no log: " + ex.getMessage() + ")";
		}
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			socket.setReuseAddress(false);
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("No free loopback port", ex);
		}
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while waiting for an NSQ process", ex);
		}
	}

}

package io.github.nsqspring.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * One server child process (nsqd, nsqlookupd, redis-server) on free loopback ports, with its own
 * temporary directory and log. It can be stopped and started again on the same ports; {@link #close()}
 * stops it and removes the directory. A shutdown hook kills it when the JVM exits first.
 */
final class ServerProcess implements AutoCloseable {

	private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(15);

	private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

	private static final int START_ATTEMPTS = 3;

	private final String name;

	private final Supplier<Path> executable;

	private final int[] ports;

	private final Function<ServerProcess, List<String>> arguments;

	private final BooleanSupplier ready;

	private final Path directory;

	private final Thread shutdownHook;

	private Process process;

	/**
	 * @param name the name of the server, for its directory, log and messages
	 * @param executable finds the executable (fails with an install hint when it is missing)
	 * @param portCount how many free loopback ports the server needs
	 * @param arguments the command line arguments, given the process (for its ports and directory)
	 * @param ready whether the started server answers; polled until it does
	 */
	ServerProcess(String name, Supplier<Path> executable, int portCount, Function<ServerProcess, List<String>> arguments,
			BooleanSupplier ready) {
		this.name = name;
		this.executable = executable;
		this.ports = new int[portCount];
		this.arguments = arguments;
		this.ready = ready;
		try {
			this.directory = Files.createTempDirectory(name + "-");
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot create a temporary directory for " + name, ex);
		}
		this.shutdownHook = new Thread(this::destroyNow, name + "-shutdown");
	}

	int port(int index) {
		return this.ports[index];
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
	 * Starts the process and waits until it is ready. The first start picks free ports; a restart keeps
	 * them, so clients reconnect to the same addresses.
	 */
	synchronized void start() {
		if (isRunning()) {
			return;
		}
		boolean keepPorts = this.ports.length > 0 && this.ports[0] != 0;
		IllegalStateException failure = null;
		for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
			if (!keepPorts) {
				for (int i = 0; i < this.ports.length; i++) {
					this.ports[i] = freePort();
				}
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

	/** Stops the process (SIGTERM, then SIGKILL after a grace period) and keeps its directory. */
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

	@Override
	public synchronized void close() {
		stop();
		deleteDirectory();
	}

	private void launch() {
		List<String> command = new ArrayList<>();
		command.add(this.executable.get().toString());
		command.addAll(this.arguments.apply(this));
		Path log = this.directory.resolve(this.name + ".log");
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
				throw new IllegalStateException(this.name + " exited with " + this.process.exitValue()
						+ " right after start; command " + command + "; log:\n" + tail(log));
			}
			if (this.ready.getAsBoolean()) {
				return;
			}
			sleep(20);
		}
		throw new IllegalStateException(this.name + " did not answer within " + STARTUP_TIMEOUT + "; command " + command
				+ "; log:\n" + tail(log));
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
			throw new IllegalStateException("Interrupted while waiting for a server process", ex);
		}
	}

}

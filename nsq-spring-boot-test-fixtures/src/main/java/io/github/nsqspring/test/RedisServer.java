package io.github.nsqspring.test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * One real {@code redis-server} process on a free loopback port with a temporary working directory and
 * no persistence ({@code --save ''}, no append-only file), for tests of the Redis-backed delays.
 *
 * <p>Use it as a JUnit 5 extension on a static field:
 * <pre class="code">
 * &#64;RegisterExtension
 * static RedisServer redis = RedisServer.create();
 *
 * &#64;DynamicPropertySource
 * static void redis(DynamicPropertyRegistry registry) {
 *     redis.registerProperties(registry);
 * }
 * </pre>
 * or start and {@link #close() close} it yourself. {@link #stop()} and {@link #start()} restart it on
 * the same port (empty: nothing is persisted). {@code redis-server} is looked up on {@code PATH}; a
 * missing one fails with a message that says how to install it.
 */
public final class RedisServer extends ServerExtension<RedisServer> {

	static final String INSTALL_HINT = "run scripts/install-redis.sh from the repository root "
			+ "(it installs Debian's redis-server package), or put redis-server on PATH";

	private final ServerProcess process;

	private RedisServer() {
		this.process = new ServerProcess("redis-server", this::command, (started) -> pings());
	}

	/** Returns a server (not started yet). */
	public static RedisServer create() {
		return new RedisServer();
	}

	private List<String> command(ServerProcess process) {
		Path executable = NsqBinaries.find("Redis executable", "redis-server", NsqBinaries.pathDirectories(), INSTALL_HINT);
		return List.of(executable.toString(), "--port", String.valueOf(process.tcpPort()), "--bind", "127.0.0.1", "--dir",
				process.directory().toString(), "--save", "", "--appendonly", "no", "--daemonize", "no");
	}

	/** Starts redis-server (again) and waits until it answers {@code PING}; does nothing when it runs. */
	@Override
	public RedisServer start() {
		this.process.start();
		return this;
	}

	/** Stops redis-server, keeping its port for a later {@link #start()}; its data is gone. */
	public void stop() {
		this.process.stop();
	}

	/** Stops redis-server and removes its directory. */
	@Override
	public void close() {
		this.process.close();
	}

	public boolean isRunning() {
		return this.process.isRunning();
	}

	public String host() {
		return "127.0.0.1";
	}

	public int port() {
		return this.process.tcpPort();
	}

	/**
	 * Registers {@code spring.data.redis.host} and {@code spring.data.redis.port} of this server, for a
	 * {@code @DynamicPropertySource} method or a {@code DynamicPropertyRegistrar} bean.
	 */
	@Override
	public void registerProperties(DynamicPropertyRegistry registry) {
		registry.add("spring.data.redis.host", this::host);
		registry.add("spring.data.redis.port", this::port);
	}

	private boolean pings() {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port()), 1000);
			socket.setSoTimeout(1000);
			OutputStream out = socket.getOutputStream();
			out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
			out.flush();
			InputStream in = socket.getInputStream();
			return new String(in.readNBytes(7), StandardCharsets.US_ASCII).equals("+PONG\r\n");
		}
		catch (IOException ex) {
			return false;
		}
	}

	@Override
	public String toString() {
		return "redis-server[127.0.0.1:" + port() + "]";
	}

}

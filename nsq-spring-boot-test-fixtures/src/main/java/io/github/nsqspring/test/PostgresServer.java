package io.github.nsqspring.test;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * One real PostgreSQL server ({@code initdb} + {@code postgres} of the installed PostgreSQL, e.g. Debian's
 * {@code postgresql} package) on a free loopback port with a temporary data directory, trusting local
 * connections of user {@code postgres}, with one database created for the tests.
 *
 * <p>Use it as a JUnit 5 extension on a static field:
 * <pre class="code">
 * &#64;RegisterExtension
 * static PostgresServer postgres = PostgresServer.create();
 * </pre>
 * then {@link #registerProperties(DynamicPropertyRegistry)} or {@link #jdbcUrl()}. PostgreSQL refuses to run
 * as root: as root the server runs as the operating system user {@code postgres} (created by the package).
 * {@link #stop()} and {@link #start()} restart the same server on the same port and data, so clients can be
 * tested against a database outage. A missing installation fails with a message that says how to install it.
 */
public final class PostgresServer extends ServerExtension<PostgresServer> {

	/** The database {@link #jdbcUrl()} points to. */
	public static final String DATABASE = "test";

	/** The user to connect as (no password: the server trusts loopback connections). */
	public static final String USER = "postgres";

	static final String INSTALL_HINT = "run scripts/install-postgres.sh from the repository root (it installs Debian's "
			+ "postgresql package), or point PG_BIN at the directory holding initdb and postgres";

	private static final List<String> PROGRAMS = List.of("initdb", "postgres", "pg_ctl", "pg_isready", "createdb");

	private static final long COMMAND_TIMEOUT_SECONDS = 60;

	private final Path binaries;

	private final boolean switchUser;

	private final ServerProcess process;

	private boolean initialized;

	private PostgresServer() {
		this.binaries = findBinaries();
		this.switchUser = "root".equals(System.getProperty("user.name"));
		this.process = new ServerProcess("postgres", this::serverCommand, (started) -> isReady());
	}

	/** Returns a server (not started yet). */
	public static PostgresServer create() {
		return new PostgresServer();
	}

	/** Creates the cluster on the first start, starts PostgreSQL (again) and waits until it accepts connections. */
	@Override
	public synchronized PostgresServer start() {
		if (!this.initialized) {
			initializeCluster();
		}
		this.process.start();
		if (!this.initialized) {
			run("createdb", "-h", "127.0.0.1", "-p", String.valueOf(port()), "-U", USER, DATABASE);
			this.initialized = true;
		}
		return this;
	}

	/** Stops PostgreSQL (fast shutdown: open sessions are ended), keeping its port and data for a later {@link #start()}. */
	public synchronized void stop() {
		if (this.process.isRunning()) {
			run("pg_ctl", "stop", "-D", dataDirectory().toString(), "-m", "fast", "-w", "-t", "20");
		}
		this.process.stop();
	}

	/** Stops PostgreSQL and removes its data directory. */
	@Override
	public synchronized void close() {
		stop();
		this.process.close();
	}

	public boolean isRunning() {
		return this.process.isRunning();
	}

	public int port() {
		return this.process.tcpPort();
	}

	/** E.g. {@code jdbc:postgresql://127.0.0.1:41234/test}. */
	public String jdbcUrl() {
		return "jdbc:postgresql://127.0.0.1:" + port() + "/" + DATABASE;
	}

	/**
	 * Registers {@code spring.datasource.url}, {@code .username} and {@code .password} for this server, for a
	 * {@code @DynamicPropertySource} method or a {@code DynamicPropertyRegistrar} bean.
	 */
	@Override
	public void registerProperties(DynamicPropertyRegistry registry) {
		registry.add("spring.datasource.url", this::jdbcUrl);
		registry.add("spring.datasource.username", () -> USER);
		registry.add("spring.datasource.password", () -> "");
	}

	/** Starts on the first test class that uses this extension; shared by its {@code @Nested} classes. */

	@Override
	public String toString() {
		return "postgres[" + jdbcUrl() + "]";
	}

	private Path dataDirectory() {
		return this.process.directory().resolve("data");
	}

	private void initializeCluster() {
		if (this.switchUser) {
			chownToServerUser(this.process.directory());
		}
		run("initdb", "-D", dataDirectory().toString(), "-U", USER, "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync");
	}

	private List<String> serverCommand(ServerProcess started) {
		return asServerUser(List.of(this.binaries.resolve("postgres").toString(), "-D", dataDirectory().toString(),
				"-h", "127.0.0.1", "-p", String.valueOf(started.tcpPort()), "-k", started.directory().toString()));
	}

	private boolean isReady() {
		try {
			run("pg_isready", "-q", "-h", "127.0.0.1", "-p", String.valueOf(port()));
			return true;
		}
		catch (IllegalStateException ex) {
			return false;
		}
	}

	/** Runs one of PostgreSQL's programs to completion; fails with its output when it exits non-zero. */
	private void run(String program, String... arguments) {
		List<String> command = new ArrayList<>();
		command.add(this.binaries.resolve(program).toString());
		command.addAll(List.of(arguments));
		command = asServerUser(command);
		try {
			Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
			byte[] output = child.getInputStream().readAllBytes();
			if (!child.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
				child.destroyForcibly();
				throw new IllegalStateException(command + " did not finish within " + COMMAND_TIMEOUT_SECONDS + " s");
			}
			if (child.exitValue() != 0) {
				throw new IllegalStateException(command + " exited with " + child.exitValue() + ": "
						+ new String(output, StandardCharsets.UTF_8).trim());
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot run " + command + ": " + ex.getMessage(), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while running " + command, ex);
		}
	}

	/** PostgreSQL refuses to run as root: as root, run the command as the {@code postgres} user. */
	private List<String> asServerUser(List<String> command) {
		if (!this.switchUser) {
			return command;
		}
		List<String> switched = new ArrayList<>(List.of("setpriv", "--reuid=" + USER, "--regid=" + USER, "--init-groups", "--"));
		switched.addAll(command);
		return switched;
	}

	private static void chownToServerUser(Path directory) {
		try (Stream<Path> paths = Files.walk(directory)) {
			UserPrincipal owner = directory.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(USER);
			for (Path path : paths.sorted(Comparator.naturalOrder()).toList()) {
				Files.setOwner(path, owner);
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot give " + directory + " to the operating system user '" + USER
					+ "' that PostgreSQL runs as: " + ex.getMessage() + "; " + INSTALL_HINT, ex);
		}
	}

	/** {@code PG_BIN}, then the newest {@code /usr/lib/postgresql/<version>/bin} (Debian's layout), then {@code PATH}. */
	private static Path findBinaries() {
		List<Path> candidates = new ArrayList<>();
		String pgBin = System.getenv("PG_BIN");
		if (pgBin != null && !pgBin.isBlank()) {
			candidates.add(Paths.get(pgBin));
		}
		Path debian = Paths.get("/usr/lib/postgresql");
		if (Files.isDirectory(debian)) {
			try (Stream<Path> versions = Files.list(debian)) {
				versions.filter((dir) -> dir.getFileName().toString().matches("\\d+"))
					.sorted(Comparator.comparingInt((Path dir) -> Integer.parseInt(dir.getFileName().toString())).reversed())
					.forEach((dir) -> candidates.add(dir.resolve("bin")));
			}
			catch (IOException ex) {
				// fall through to PATH
			}
		}
		String path = System.getenv("PATH");
		if (path != null) {
			for (String entry : path.split(File.pathSeparator)) {
				if (!entry.isBlank()) {
					candidates.add(Paths.get(entry));
				}
			}
		}
		for (Path dir : candidates) {
			if (PROGRAMS.stream().allMatch((program) -> Files.isExecutable(dir.resolve(program)))) {
				return dir;
			}
		}
		throw new IllegalStateException("No directory holds all of PostgreSQL's " + PROGRAMS + " (looked in " + candidates
				+ "): " + INSTALL_HINT);
	}

}

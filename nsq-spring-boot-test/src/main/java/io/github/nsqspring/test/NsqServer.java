package io.github.nsqspring.test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * One real nsqd process on free loopback ports with a temporary {@code --data-path}.
 *
 * <p>Use it as a JUnit 5 extension on a static field:
 * <pre class="code">
 * &#64;RegisterExtension
 * static NsqServer nsqd = NsqServer.create();
 *
 * &#64;DynamicPropertySource
 * static void nsq(DynamicPropertyRegistry registry) {
 *     nsqd.registerProperties(registry);
 * }
 * </pre>
 * or start and {@link #close() close} it yourself. {@link #stop()} and {@link #start()} restart the
 * same nsqd on the same ports and data directory, so clients can be tested against an nsqd outage;
 * {@link #kill()}, {@link #freeze()} and {@link #thaw()} inject harder faults.
 */
public final class NsqServer extends ServerExtension<NsqServer> {

	private final ServerProcess process;

	private final List<String> lookupdTcpAddresses;

	private final List<String> extraArguments;

	private final @Nullable NsqServerTls tls;

	private final @Nullable NsqTlsCertificates certificates;

	private final NsqTlsCertificates.@Nullable CertificateFiles serverCertificate;

	private final NsqTlsCertificates.@Nullable CertificateFiles clientCertificate;

	private NsqServer(List<String> lookupdTcpAddresses, List<String> extraArguments, @Nullable NsqServerTls tls) {
		this.lookupdTcpAddresses = List.copyOf(lookupdTcpAddresses);
		this.extraArguments = List.copyOf(extraArguments);
		this.tls = tls;
		this.process = new ServerProcess("nsqd", this::arguments);
		if (tls != null) {
			this.certificates = NsqTlsCertificates.create(this.process.directory(), "nsqd-test-authority");
			this.serverCertificate = this.certificates.issue("nsqd", tls.serverNames().toArray(String[]::new));
			this.clientCertificate = this.certificates.issue("client", "nsq-test-client");
			this.process.useHttps(this.certificates.sslContext(this.clientCertificate));
		}
		else {
			this.certificates = null;
			this.serverCertificate = null;
			this.clientCertificate = null;
		}
	}

	/** Returns a server with nsqd's default settings (not started yet). */
	public static NsqServer create() {
		return new NsqServer(List.of(), List.of(), null);
	}

	/**
	 * Returns a server started with extra nsqd flags, e.g. {@code "--msg-timeout=3s"} or
	 * {@code "--mem-queue-size=0"} (not started yet).
	 */
	public static NsqServer withArguments(String... arguments) {
		return new NsqServer(List.of(), List.of(arguments), null);
	}

	/**
	 * Returns a server that requires TLS on its TCP port and serves HTTPS (no plain HTTP) on
	 * {@link #httpAddress()}, with certificates made now in its directory (see {@link #certificates()}),
	 * and extra nsqd flags such as {@link NsqAuthServer#nsqdArgument()} (not started yet). The test's own
	 * HTTP calls ({@link #stats()}, {@link #publish}) use HTTPS with {@link #clientCertificate()}.
	 */
	public static NsqServer withTls(NsqServerTls tls, String... arguments) {
		return new NsqServer(List.of(), List.of(arguments), tls);
	}

	static NsqServer registeredWith(String lookupdTcpAddress, List<String> extraArguments) {
		return new NsqServer(List.of(lookupdTcpAddress), extraArguments, null);
	}

	private List<String> arguments(ServerProcess process) {
		List<String> args = new ArrayList<>();
		args.add("--tcp-address=127.0.0.1:" + process.tcpPort());
		if (this.tls != null) {
			args.add("--http-address=");
			args.add("--https-address=127.0.0.1:" + process.httpPort());
			NsqTlsCertificates.CertificateFiles serverCertificate = requireTls(this.serverCertificate);
			args.add("--tls-cert=" + serverCertificate.certificate());
			args.add("--tls-key=" + serverCertificate.privateKey());
			args.add("--tls-required=true");
			if (this.tls.clientCertificatesRequired()) {
				args.add("--tls-client-auth-policy=require-verify");
				args.add("--tls-root-ca-file=" + requireTls(this.certificates).authorityCertificate());
			}
		}
		else {
			args.add("--http-address=127.0.0.1:" + process.httpPort());
		}
		args.add("--broadcast-address=127.0.0.1");
		args.add("--data-path=" + process.directory());
		for (String lookupd : this.lookupdTcpAddresses) {
			args.add("--lookupd-tcp-address=" + lookupd);
		}
		args.addAll(this.extraArguments);
		return args;
	}

	/** Starts nsqd (again) and waits until it answers {@code /ping}; does nothing when it runs. */
	@Override
	public NsqServer start() {
		this.process.start();
		return this;
	}

	/** Stops nsqd gracefully, keeping its ports and data directory for a later {@link #start()}. */
	public void stop() {
		this.process.stop();
	}

	/**
	 * Kills nsqd at once (SIGKILL, as {@code kill -9}): it flushes nothing. Ports and data directory are
	 * kept for a later {@link #start()}.
	 */
	public void kill() {
		this.process.kill();
	}

	/** Freezes nsqd (SIGSTOP): its connections stay open, but it reads and answers nothing until {@link #thaw()}. */
	public void freeze() {
		this.process.freeze(true);
	}

	/** Thaws a frozen nsqd (SIGCONT). */
	public void thaw() {
		this.process.freeze(false);
	}

	/** Stops nsqd and removes its data directory. */
	@Override
	public void close() {
		this.process.close();
	}

	public boolean isRunning() {
		return this.process.isRunning();
	}

	/** The operating system process id, or -1 when not running. */
	public long pid() {
		return this.process.pid();
	}

	/** The TCP address clients connect to, e.g. {@code 127.0.0.1:41234}. */
	public String tcpAddress() {
		return "127.0.0.1:" + this.process.tcpPort();
	}

	/** The HTTP address, e.g. {@code 127.0.0.1:41235}; with TLS, nsqd serves HTTPS there. */
	public String httpAddress() {
		return "127.0.0.1:" + this.process.httpPort();
	}

	/**
	 * The authority that issued this TLS server's certificates; its PEM files are in the server's
	 * directory. Use {@link NsqTlsCertificates#bundleProperties} to point a Spring SSL bundle at it.
	 * @throws IllegalStateException when the server was not made {@link #withTls with TLS}
	 */
	public NsqTlsCertificates certificates() {
		return requireTls(this.certificates);
	}

	/** A client certificate issued by {@link #certificates()} (common name {@code nsq-test-client}). */
	public NsqTlsCertificates.CertificateFiles clientCertificate() {
		return requireTls(this.clientCertificate);
	}

	/** The given TLS part, which is null exactly when the server runs without TLS. */
	private <T> T requireTls(@Nullable T tlsPart) {
		if (tlsPart == null) {
			throw new IllegalStateException(this + " runs without TLS: create it with NsqServer.withTls(...)");
		}
		return tlsPart;
	}

	/**
	 * Registers {@code nsq.nsqd-addresses} with this server's TCP address, for a
	 * {@code @DynamicPropertySource} method or a {@code DynamicPropertyRegistrar} bean.
	 */
	@Override
	public void registerProperties(DynamicPropertyRegistry registry) {
		registry.add("nsq.nsqd-addresses", this::tcpAddress);
	}

	/** Reads and parses {@code /stats?format=json}. */
	public NsqStats stats() {
		return NsqStats.parse(this.process.get("/stats?format=json"));
	}

	/** Reads {@code /info} as raw JSON. */
	public String info() {
		return this.process.get("/info");
	}

	/** Publishes one message over HTTP ({@code POST /pub}). */
	public void publish(String topic, byte[] body) {
		this.process.post("/pub?topic=" + encode(topic), body);
	}

	/** Publishes one UTF-8 message over HTTP ({@code POST /pub}). */
	public void publish(String topic, String body) {
		publish(topic, body.getBytes(StandardCharsets.UTF_8));
	}

	/**
	 * Publishes UTF-8 messages atomically over HTTP ({@code POST /mpub}, one message per line, so no body may
	 * contain a newline).
	 */
	public void publishBatch(String topic, List<String> bodies) {
		if (bodies.stream().anyMatch((body) -> body.indexOf('\n') >= 0)) {
			throw new IllegalArgumentException("A body of /mpub must not contain a newline");
		}
		this.process.post("/mpub?topic=" + encode(topic), String.join("\n", bodies).getBytes(StandardCharsets.UTF_8));
	}

	/** Publishes a deferred message over HTTP ({@code POST /pub?defer=}). */
	public void publishDeferred(String topic, String body, long deferMillis) {
		this.process.post("/pub?topic=" + encode(topic) + "&defer=" + deferMillis, body.getBytes(StandardCharsets.UTF_8));
	}

	public void createTopic(String topic) {
		this.process.post("/topic/create?topic=" + encode(topic), new byte[0]);
	}

	/** Creates the channel, and its topic when missing, so that messages published from now on queue for it. */
	public void createChannel(String topic, String channel) {
		createTopic(topic);
		this.process.post("/channel/create?topic=" + encode(topic) + "&channel=" + encode(channel), new byte[0]);
	}

	/** Removes every queued message of a topic (not of its channels). */
	public void emptyTopic(String topic) {
		this.process.post("/topic/empty?topic=" + encode(topic), new byte[0]);
	}

	/** Removes every queued message of a channel. */
	public void emptyChannel(String topic, String channel) {
		this.process.post("/channel/empty?topic=" + encode(topic) + "&channel=" + encode(channel), new byte[0]);
	}

	public void deleteTopic(String topic) {
		this.process.post("/topic/delete?topic=" + encode(topic), new byte[0]);
	}

	@Override
	public String toString() {
		return "nsqd[tcp=" + tcpAddress() + ", " + ((this.tls != null) ? "https=" : "http=") + httpAddress() + "]";
	}

	private static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

}

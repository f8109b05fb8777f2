package io.github.nsqspring.test;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * A small HTTP server speaking nsqd's auth protocol, for nsqd's {@code --auth-http-address}
 * ({@link #nsqdArgument()}). nsqd asks {@code GET /auth?remote_ip=&tls=&secret=&common_name=} when a
 * client sends AUTH (and again when the answer's TTL ran out); a secret given to {@link #allow} is
 * answered with its identity and authorizations, any other secret with HTTP 403, which nsqd turns into
 * {@code E_AUTH_FAILED}. Every query is recorded ({@link #requests()}).
 *
 * <p>Register it before the {@link NsqServer} that uses it, so that it is running when nsqd starts:
 * <pre class="code">
 * &#64;RegisterExtension
 * static NsqAuthServer auth = NsqAuthServer.create();
 *
 * &#64;RegisterExtension
 * static NsqServer nsqd = NsqServer.withArguments(auth.nsqdArgument());
 * </pre>
 */
public final class NsqAuthServer extends ServerExtension<NsqAuthServer> {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final int port;

	private final Map<String, Grant> grants = new ConcurrentHashMap<>();

	private final List<AuthRequest> requests = new CopyOnWriteArrayList<>();

	private volatile Duration ttl = Duration.ofHours(1);

	private @Nullable HttpServer server;

	private NsqAuthServer() {
		this.server = bind(0);
		this.port = this.server.getAddress().getPort();
	}

	/** A server on a free loopback port (bound now, answering once started), with no secret allowed. */
	public static NsqAuthServer create() {
		return new NsqAuthServer();
	}

	/**
	 * Allows a secret from now on: nsqd's AUTH with it succeeds with the identity and these authorizations
	 * (an empty list makes nsqd answer AUTH with {@code E_UNAUTHORIZED}).
	 */
	public NsqAuthServer allow(String secret, String identity, Authorization... authorizations) {
		this.grants.put(secret, new Grant(identity, List.of(authorizations)));
		return this;
	}

	/** Forgets every allowed secret and recorded request. */
	public void reset() {
		this.grants.clear();
		this.requests.clear();
	}

	/** How long nsqd may keep an answer before asking again (its {@code ttl}); one hour unless set. */
	public void setTtl(Duration ttl) {
		this.ttl = ttl;
	}

	/** The address nsqd asks, e.g. {@code 127.0.0.1:41236}. */
	public String address() {
		return "127.0.0.1:" + this.port;
	}

	/** The nsqd flag pointing at this server: {@code --auth-http-address=127.0.0.1:<port>}. */
	public String nsqdArgument() {
		return "--auth-http-address=" + address();
	}

	/**
	 * Registers nothing: applications never talk to the auth server, nsqd does (see {@link #nsqdArgument()});
	 * the application's {@code nsq.auth-secret} is one of the secrets {@link #allow allowed} here.
	 */
	@Override
	public void registerProperties(DynamicPropertyRegistry registry) {
	}

	/** The queries nsqd made, oldest first. */
	public List<AuthRequest> requests() {
		return List.copyOf(this.requests);
	}

	@Override
	public synchronized NsqAuthServer start() {
		if (this.server == null) {
			this.server = bind(this.port);
		}
		this.server.createContext("/auth", this::answer);
		this.server.start();
		return this;
	}

	@Override
	public synchronized void close() {
		if (this.server != null) {
			this.server.stop(0);
			this.server = null;
		}
	}

	private void answer(HttpExchange exchange) throws IOException {
		Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
		String secret = query.getOrDefault("secret", "");
		this.requests.add(new AuthRequest(query.getOrDefault("remote_ip", ""), "true".equals(query.get("tls")), secret,
				query.getOrDefault("common_name", "")));
		Grant grant = this.grants.get(secret);
		int status;
		Map<String, Object> body = new LinkedHashMap<>();
		if (grant == null) {
			status = 403;
			body.put("message", "NOT_AUTHORIZED");
		}
		else {
			status = 200;
			body.put("ttl", this.ttl.toSeconds());
			body.put("identity", grant.identity());
			body.put("identity_url", "");
			body.put("authorizations", grant.authorizations());
		}
		byte[] bytes = JSON.writeValueAsBytes(body);
		exchange.getResponseHeaders().set("Content-Type", "application/json");
		exchange.sendResponseHeaders(status, bytes.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(bytes);
		}
	}

	private static Map<String, String> query(String rawQuery) {
		Map<String, String> values = new LinkedHashMap<>();
		if (rawQuery == null) {
			return values;
		}
		for (String pair : rawQuery.split("&")) {
			int equals = pair.indexOf('=');
			String key = (equals < 0) ? pair : pair.substring(0, equals);
			String value = (equals < 0) ? "" : pair.substring(equals + 1);
			values.put(URLDecoder.decode(key, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
		}
		return values;
	}

	private static HttpServer bind(int port) {
		try {
			return HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot bind the NSQ auth server to a loopback port", ex);
		}
	}

	@Override
	public String toString() {
		return "nsq-auth[" + address() + "]";
	}

	/**
	 * One entry of an auth answer, as nsqd reads it: regular expressions for the topic and channels, and
	 * {@code subscribe} and/or {@code publish}. nsqd checks a publish against the channel {@code ""}, so
	 * a publishing authorization needs a channel expression that matches the empty string (as
	 * {@link #publish} sets).
	 */
	public record Authorization(String topic, List<String> channels, List<String> permissions) {

		/** Publish to topics matching the expression. */
		public static Authorization publish(String topic) {
			return new Authorization(topic, List.of(".*"), List.of("publish"));
		}

		/** Subscribe to channels of topics matching the expressions. */
		public static Authorization subscribe(String topic, String channel) {
			return new Authorization(topic, List.of(channel), List.of("subscribe"));
		}

		/** Publish to and subscribe any channel of topics matching the expression. */
		public static Authorization publishAndSubscribe(String topic) {
			return new Authorization(topic, List.of(".*"), List.of("subscribe", "publish"));
		}

	}

	/** One query nsqd made. */
	public record AuthRequest(String remoteIp, boolean tls, String secret, String commonName) {
	}

	private record Grant(String identity, List<Authorization> authorizations) {
	}

}

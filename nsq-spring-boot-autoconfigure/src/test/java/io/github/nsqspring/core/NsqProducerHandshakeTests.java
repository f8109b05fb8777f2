package io.github.nsqspring.core;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.github.nsqspring.support.NsqVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The handshake against a fake nsqd that answers slowly or not at all: the whole handshake shares one
 * deadline, so two answers that each come within the timeout but together after it fail the connection,
 * and so does an upgrade (TLS, compression) nsqd agreed to and then never answers.
 */
class NsqProducerHandshakeTests {

	private static final Duration TIMEOUT = Duration.ofMillis(1000);

	@Test
	void answersThatTogetherTakeLongerThanTheTimeoutFail() throws Exception {
		try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			CompletableFuture<String> secret = CompletableFuture
				.supplyAsync(() -> slowNsqd(server, TIMEOUT.multipliedBy(6).dividedBy(10)));
			try (Socket socket = connect(server)) {
				long deadline = System.nanoTime() + TIMEOUT.toNanos();
				assertThatExceptionOfType(SocketTimeoutException.class)
					.isThrownBy(() -> NsqProducerHandshake.perform(socket, address(server), 30_000,
							new NsqSecurity(null, "the-secret"), deadline))
					.withMessage("nsqd did not answer AUTH within the timeout");
			}
			assertThat(secret.get(10, TimeUnit.SECONDS)).isEqualTo("the-secret");
		}
	}

	@Test
	void silentNsqdFailsNamingIdentify() throws Exception {
		try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()); Socket socket = connect(server)) {
			long deadline = System.nanoTime() + Duration.ofMillis(200).toNanos();
			assertThatExceptionOfType(SocketTimeoutException.class)
				.isThrownBy(() -> NsqProducerHandshake.perform(socket, address(server), 30_000, NsqSecurity.NONE, deadline))
				.withMessage("nsqd did not answer IDENTIFY within the timeout");
		}
	}

	@Test
	void nsqdThatAgreesToTlsButNeverAnswersTheHandshakeFailsNamingIt() throws Exception {
		try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			CompletableFuture<String> identify = CompletableFuture.supplyAsync(() -> agreeingNsqd(server, "tls_v1"));
			try (Socket socket = connect(server)) {
				long start = System.nanoTime();
				long deadline = start + TIMEOUT.toNanos();
				assertThatExceptionOfType(SocketTimeoutException.class)
					.isThrownBy(() -> NsqProducerHandshake.perform(socket, address(server), 30_000,
							new NsqSecurity(NsqTls.jvmDefault(true), null), deadline))
					.withMessage("nsqd did not answer the TLS handshake within the timeout");
				assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(TIMEOUT.multipliedBy(3));
			}
			assertThat(identify.get(10, TimeUnit.SECONDS)).contains("\"tls_v1\":true");
		}
	}

	@ParameterizedTest
	@EnumSource(value = NsqCompression.class, names = { "SNAPPY", "DEFLATE" })
	void nsqdThatAgreesToCompressionButSendsNothingCompressedFailsNamingTheUpgrade(NsqCompression compression)
			throws Exception {
		try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			CompletableFuture<String> identify = CompletableFuture
				.supplyAsync(() -> agreeingNsqd(server, compression.toString()));
			try (Socket socket = connect(server)) {
				long deadline = System.nanoTime() + Duration.ofMillis(500).toNanos();
				assertThatExceptionOfType(SocketTimeoutException.class)
					.isThrownBy(() -> NsqProducerHandshake.perform(socket, address(server), 30_000, compression, 3,
							NsqSecurity.NONE, deadline))
					.withMessage("nsqd did not answer the " + compression + " upgrade within the timeout");
			}
			assertThat(identify.get(10, TimeUnit.SECONDS)).startsWith("{\"user_agent\":\"" + NsqVersion.userAgent() + "\"")
				.contains("\"" + compression + "\":true")
				.contains((compression == NsqCompression.DEFLATE) ? "\"deflate_level\":3" : "\"deflate\":false");
		}
	}

	/** Answers IDENTIFY agreeing to the feature (a compression or TLS), then sends nothing; returns the IDENTIFY body. */
	private static String agreeingNsqd(ServerSocket server, String feature) {
		try (Socket client = server.accept()) {
			DataInputStream in = new DataInputStream(client.getInputStream());
			in.readFully(new byte[4]);
			String identify = readCommand(in);
			respond(new DataOutputStream(client.getOutputStream()), "{\"" + feature + "\":true}");
			// reads what the client sends (a TLS ClientHello) until it gives up at its deadline and closes
			while (in.read() != -1) {
				// unanswered
			}
			return identify;
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static Socket connect(ServerSocket server) throws IOException {
		Socket socket = new Socket();
		socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()), 1000);
		return socket;
	}

	private static NsqAddress address(ServerSocket server) {
		return NsqAddress.parse("127.0.0.1:" + server.getLocalPort());
	}

	/** Answers IDENTIFY (auth required) and AUTH, each after the delay; returns the secret it received. */
	private static String slowNsqd(ServerSocket server, Duration delay) {
		try (Socket client = server.accept()) {
			DataInputStream in = new DataInputStream(client.getInputStream());
			DataOutputStream out = new DataOutputStream(client.getOutputStream());
			in.readFully(new byte[4]);
			readCommand(in);
			Thread.sleep(delay.toMillis());
			respond(out, "{\"tls_v1\":false,\"auth_required\":true}");
			String secret = readCommand(in);
			Thread.sleep(delay.toMillis());
			try {
				respond(out, "{\"identity\":\"late\",\"permission_count\":1}");
			}
			catch (IOException ex) {
				// the client gave up at its deadline and closed the connection
			}
			return secret;
		}
		catch (IOException | InterruptedException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** Reads a command line and its sized body; returns the body. */
	private static String readCommand(DataInputStream in) throws IOException {
		while (in.readByte() != '\n') {
			// the command name
		}
		byte[] body = new byte[in.readInt()];
		in.readFully(body);
		return new String(body, StandardCharsets.UTF_8);
	}

	private static void respond(DataOutputStream out, String json) throws IOException {
		byte[] data = json.getBytes(StandardCharsets.UTF_8);
		out.writeInt(data.length + 4);
		out.writeInt(0);
		out.write(data);
		out.flush();
	}

}

package io.github.nsqspring.test;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import io.github.nsqspring.test.NsqAuthServer.Authorization;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.github.nsqspring.test.NsqServerTlsTests.identify;
import static io.github.nsqspring.test.NsqServerTlsTests.publish;
import static io.github.nsqspring.test.NsqServerTlsTests.readFrame;
import static org.assertj.core.api.Assertions.assertThat;

class NsqAuthServerTests {

	@RegisterExtension
	static NsqAuthServer auth = NsqAuthServer.create();

	@RegisterExtension
	static NsqServer nsqd = NsqServer.withArguments(auth.nsqdArgument());

	@BeforeEach
	void reset() {
		auth.reset();
	}

	@Test
	void nsqdAsksForAuthAndAcceptsAnAllowedSecret() throws IOException {
		auth.allow("right", "publisher", Authorization.publish("allowed.*"));
		try (Socket socket = new Socket("127.0.0.1", port())) {
			DataOutputStream out = new DataOutputStream(socket.getOutputStream());
			DataInputStream in = new DataInputStream(socket.getInputStream());
			identify(out, "{\"feature_negotiation\":true}");
			assertThat(readFrame(in)).contains("\"auth_required\":true");
			authenticate(out, "right");
			assertThat(readFrame(in)).contains("\"identity\":\"publisher\"").contains("\"permission_count\":1");
			publish(out, "allowed-topic");
			assertThat(readFrame(in)).isEqualTo("OK");
			publish(out, "other");
			assertThat(readFrame(in)).startsWith("error E_UNAUTHORIZED").contains("PUB on \"other\"");
		}
		assertThat(auth.requests()).singleElement()
			.satisfies((request) -> assertThat(request.secret()).isEqualTo("right"))
			.satisfies((request) -> assertThat(request.remoteIp()).isEqualTo("127.0.0.1"))
			.satisfies((request) -> assertThat(request.tls()).isFalse());
	}

	@Test
	void unknownSecretIsRefused() throws IOException {
		try (Socket socket = new Socket("127.0.0.1", port())) {
			DataOutputStream out = new DataOutputStream(socket.getOutputStream());
			DataInputStream in = new DataInputStream(socket.getInputStream());
			identify(out, "{\"feature_negotiation\":true}");
			readFrame(in);
			authenticate(out, "wrong");
			assertThat(readFrame(in)).isEqualTo("error E_AUTH_FAILED AUTH failed");
		}
		assertThat(auth.requests()).extracting(NsqAuthServer.AuthRequest::secret).containsExactly("wrong");
	}

	private static void authenticate(DataOutputStream out, String secret) throws IOException {
		byte[] body = secret.getBytes(StandardCharsets.UTF_8);
		out.writeBytes("AUTH\n");
		out.writeInt(body.length);
		out.write(body);
		out.flush();
	}

	private static int port() {
		return Integer.parseInt(nsqd.tcpAddress().split(":")[1]);
	}

}

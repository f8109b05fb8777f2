package io.github.nsqspring.test;

import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;

import javax.net.ssl.SSLSocket;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class NsqServerTlsTests {

	@RegisterExtension
	static NsqServer nsqd = NsqServer.withTls(NsqServerTls.required());

	@Test
	void servesHttpsWithTheGeneratedCertificates() {
		nsqd.publish("tls-topic", "over https");
		assertThat(nsqd.stats().topic("tls-topic").messageCount()).isEqualTo(1);
		assertThat(nsqd.certificates().authorityCertificate()).exists();
		assertThat(nsqd.clientCertificate().certificate()).exists();
	}

	@Test
	void pemFilesAreReadableAsASpringBundle() throws IOException {
		assertThat(nsqd.certificates().bundleProperties("nsq", nsqd.clientCertificate()))
			.containsKeys("spring.ssl.bundle.pem.nsq.truststore.certificate", "spring.ssl.bundle.pem.nsq.keystore.certificate",
					"spring.ssl.bundle.pem.nsq.keystore.private-key");
		assertThat(Files.readString(nsqd.clientCertificate().privateKey())).startsWith("-----BEGIN PRIVATE KEY-----");
		// the certificate followed by the authority's
		assertThat(Files.readString(nsqd.clientCertificate().certificate()).split("-----BEGIN CERTIFICATE-----"))
			.hasSize(3);
	}

	@Test
	void refusesCommandsBeforeTls() throws IOException {
		try (Socket socket = new Socket("127.0.0.1", port())) {
			// one write: nsqd refuses and closes after the command line, and a later write of the body broke the pipe
			DataOutputStream out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream()));
			out.writeBytes("  V2");
			publish(out, "plain");
			assertThat(readFrame(new DataInputStream(socket.getInputStream()))).contains("E_INVALID")
				.contains("TLS required");
		}
	}

	@Test
	void upgradesAfterIdentifyWithTlsV1() throws IOException {
		try (Socket socket = new Socket("127.0.0.1", port())) {
			DataOutputStream out = new DataOutputStream(socket.getOutputStream());
			DataInputStream in = new DataInputStream(socket.getInputStream());
			identify(out, "{\"feature_negotiation\":true,\"tls_v1\":true}");
			assertThat(readFrame(in)).contains("\"tls_v1\":true");
			SSLSocket tls = (SSLSocket) nsqd.certificates()
				.sslContext(null)
				.getSocketFactory()
				.createSocket(socket, "127.0.0.1", port(), true);
			tls.startHandshake();
			assertThat(readFrame(new DataInputStream(tls.getInputStream()))).isEqualTo("OK");
			publish(new DataOutputStream(tls.getOutputStream()), "secured");
			assertThat(readFrame(new DataInputStream(tls.getInputStream()))).isEqualTo("OK");
		}
		assertThat(nsqd.stats().topic("secured").messageCount()).isEqualTo(1);
	}

	@Test
	void plainServerHasNoCertificates() {
		assertThatIllegalStateException().isThrownBy(() -> NsqServer.create().certificates())
			.withMessageContaining("NsqServer.withTls");
	}

	@Nested
	class ClientCertificates {

		@RegisterExtension
		static NsqServer verifying = NsqServer.withTls(NsqServerTls.required().requireClientCertificates());

		@Test
		void acceptsTheIssuedClientCertificateAndRejectsNone() throws IOException {
			int port = Integer.parseInt(verifying.tcpAddress().split(":")[1]);
			assertThat(handshake(verifying, port, verifying.clientCertificate())).isEqualTo("OK");
			assertThatExceptionOfType(IOException.class)
				.isThrownBy(() -> handshake(verifying, port, null));
			assertThat(verifying.stats().topics()).isNotNull();
		}

	}

	private static String handshake(NsqServer server, int port, NsqTlsCertificates.CertificateFiles clientCertificate)
			throws IOException {
		try (Socket socket = new Socket("127.0.0.1", port)) {
			DataOutputStream out = new DataOutputStream(socket.getOutputStream());
			identify(out, "{\"feature_negotiation\":true,\"tls_v1\":true}");
			readFrame(new DataInputStream(socket.getInputStream()));
			SSLSocket tls = (SSLSocket) server.certificates()
				.sslContext(clientCertificate)
				.getSocketFactory()
				.createSocket(socket, "127.0.0.1", port, true);
			tls.startHandshake();
			return readFrame(new DataInputStream(tls.getInputStream()));
		}
	}

	private static int port() {
		return Integer.parseInt(nsqd.tcpAddress().split(":")[1]);
	}

	static void identify(DataOutputStream out, String json) throws IOException {
		out.writeBytes("  V2");
		out.writeBytes("IDENTIFY\n");
		byte[] body = json.getBytes(StandardCharsets.UTF_8);
		out.writeInt(body.length);
		out.write(body);
		out.flush();
	}

	/** PUB of a one-byte message. */
	static void publish(DataOutputStream out, String topic) throws IOException {
		out.writeBytes("PUB " + topic + "\n");
		out.writeInt(1);
		out.write('x');
		out.flush();
	}

	static String readFrame(DataInputStream in) throws IOException {
		int size = in.readInt();
		int type = in.readInt();
		byte[] data = new byte[size - 4];
		in.readFully(data);
		return ((type == 1) ? "error " : "") + new String(data, StandardCharsets.UTF_8);
	}

}

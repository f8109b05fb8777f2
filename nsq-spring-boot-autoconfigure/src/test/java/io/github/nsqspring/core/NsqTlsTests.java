package io.github.nsqspring.core;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;

import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

import io.github.nsqspring.test.NsqTlsCertificates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * {@link NsqTls#socketFactory()} layered over a connected socket the way nsq-j 1.2 does it after
 * IDENTIFY: {@code createSocket(socket, socket.getInetAddress().getHostAddress(), port, true)}, that is
 * with the IP address instead of the host name connected to.
 */
class NsqTlsTests {

	@TempDir
	Path directory;

	@Test
	void verifiesTheHostNameTheSocketConnectedToRatherThanTheAddressNsqjPasses() throws Exception {
		assertThat(handshake("localhost", "localhost").getPeerHost()).isEqualTo("localhost");
	}

	@Test
	void rejectsACertificateForAnotherHostName() {
		assertThat(assertThrows(SSLHandshakeException.class, () -> handshake("nsqd.example.com", "localhost")))
			.hasMessageContaining("localhost");
	}

	@Test
	void anIpAddressConnectedToStaysThatAddress() {
		// no reverse lookup turns 127.0.0.1 into localhost, which the certificate names
		assertThat(assertThrows(SSLHandshakeException.class, () -> handshake("localhost", "127.0.0.1")))
			.hasMessageContaining("127.0.0.1");
	}

	/**
	 * Connects to {@code host}, where a TLS server with a certificate for {@code certificateName} only
	 * listens on 127.0.0.1, layers TLS as nsq-j does and completes the handshake.
	 */
	private SSLSession handshake(String certificateName, String host) throws IOException {
		NsqTlsCertificates certificates = NsqTlsCertificates.create(this.directory, "authority");
		try (SSLServerSocket server = serve(certificates, certificateName);
				SSLSocket tls = layerLikeNsqj(certificates, host, server.getLocalPort())) {
			tls.startHandshake();
			return tls.getSession();
		}
	}

	private static SSLSocket layerLikeNsqj(NsqTlsCertificates certificates, String host, int port) throws IOException {
		NsqTls tls = new NsqTls(certificates.sslContext(null), true, null, null);
		Socket socket = new Socket();
		socket.connect(new InetSocketAddress(host, port), 5000);
		socket.setSoTimeout(5000);
		return (SSLSocket) tls.socketFactory()
			.createSocket(socket, socket.getInetAddress().getHostAddress(), socket.getPort(), true);
	}

	/** A TLS server on 127.0.0.1 whose certificate names only the given host, answering one handshake at a time. */
	private static SSLServerSocket serve(NsqTlsCertificates certificates, String name) throws IOException {
		SSLServerSocket server = (SSLServerSocket) certificates.sslContext(certificates.issue("server", name))
			.getServerSocketFactory()
			.createServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
		Thread thread = new Thread(() -> {
			while (!server.isClosed()) {
				try (SSLSocket accepted = (SSLSocket) server.accept()) {
					accepted.setSoTimeout(5000);
					accepted.startHandshake();
					accepted.getInputStream().read();
				}
				catch (IOException ex) {
					// the client rejected the certificate, or the test closed the server
				}
			}
		}, "tls-test-server");
		thread.setDaemon(true);
		thread.start();
		return server;
	}

}

package io.github.nsqspring.core;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.NoSuchAlgorithmException;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

import org.jspecify.annotations.Nullable;

/**
 * TLS for connections to nsqd: an {@link SSLContext} (from a Spring SSL bundle or the JVM's default trust
 * store) and the {@link SSLParameters} every socket gets, with endpoint identification {@code HTTPS} (nsqd's
 * certificate must name the host connected to) unless hostname verification is off. One instance serves the
 * template, the consumers (through {@link #socketFactory()}) and the health check's HTTPS client.
 */
public final class NsqTls {

	private final SSLContext context;

	private final boolean verifyHostname;

	private final String @Nullable [] protocols;

	private final String @Nullable [] ciphers;

	/**
	 * @param context the context whose key and trust managers are used
	 * @param verifyHostname whether nsqd's certificate must name the host connected to
	 * @param protocols the enabled protocols, or {@code null} for the context's defaults
	 * @param ciphers the enabled cipher suites, or {@code null} for the context's defaults
	 */
	public NsqTls(SSLContext context, boolean verifyHostname, String @Nullable [] protocols, String @Nullable [] ciphers) {
		this.context = context;
		this.verifyHostname = verifyHostname;
		this.protocols = (protocols != null) ? protocols.clone() : null;
		this.ciphers = (ciphers != null) ? ciphers.clone() : null;
	}

	/** TLS with the JVM's default {@link SSLContext} (its default trust store, {@code javax.net.ssl.*}). */
	public static NsqTls jvmDefault(boolean verifyHostname) {
		try {
			return new NsqTls(SSLContext.getDefault(), verifyHostname, null, null);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("The JVM has no default SSLContext", ex);
		}
	}

	public SSLContext sslContext() {
		return this.context;
	}

	public boolean verifiesHostname() {
		return this.verifyHostname;
	}

	/** A new copy of the parameters every socket gets: endpoint identification, protocols, ciphers. */
	public SSLParameters sslParameters() {
		SSLParameters parameters = this.context.getDefaultSSLParameters();
		parameters.setEndpointIdentificationAlgorithm(this.verifyHostname ? "HTTPS" : null);
		if (this.protocols != null) {
			parameters.setProtocols(this.protocols);
		}
		if (this.ciphers != null) {
			parameters.setCipherSuites(this.ciphers);
		}
		return parameters;
	}

	/**
	 * A socket factory whose sockets, including those layered over a connected socket as nsq-j does after
	 * IDENTIFY, get {@link #sslParameters()}: unlike the context's own factory they verify the hostname,
	 * and against the host name the socket connected to even where nsq-j passes its IP address.
	 */
	public SSLSocketFactory socketFactory() {
		return new ConfiguringSocketFactory();
	}

	/**
	 * Layers TLS in client mode over a connected socket and completes the handshake (within the socket's
	 * read timeout). Closing the returned socket closes the given one.
	 * @param host the host name or address connected to, which nsqd's certificate must name
	 * @throws SSLException when the handshake fails (untrusted or mismatched certificate, no client
	 * certificate where nsqd requires one), with a message that says it was the TLS handshake
	 */
	public SSLSocket upgrade(Socket socket, String host, int port) throws IOException {
		SSLSocket tls = (SSLSocket) socketFactory().createSocket(socket, host, port, true);
		try {
			tls.startHandshake();
		}
		catch (SSLException ex) {
			throw new SSLException("TLS handshake with " + host + ":" + port + " failed: " + ex.getMessage(), ex);
		}
		return tls;
	}

	@Override
	public String toString() {
		return "NsqTls[protocol=" + this.context.getProtocol() + ", verifyHostname=" + this.verifyHostname + "]";
	}

	private final class ConfiguringSocketFactory extends SSLSocketFactory {

		private final SSLSocketFactory delegate = NsqTls.this.context.getSocketFactory();

		@Override
		public String[] getDefaultCipherSuites() {
			return (NsqTls.this.ciphers != null) ? NsqTls.this.ciphers.clone() : this.delegate.getDefaultCipherSuites();
		}

		@Override
		public String[] getSupportedCipherSuites() {
			return this.delegate.getSupportedCipherSuites();
		}

		@Override
		public Socket createSocket(Socket socket, String host, int port, boolean autoClose) throws IOException {
			return configure(this.delegate.createSocket(socket, connectedName(socket, host), port, autoClose));
		}

		/**
		 * nsq-j 1.2 layers TLS passing the IP address of the connected socket rather than the host name it
		 * connected to, which hostname verification would check the certificate against: give the name
		 * back. The socket's address keeps the name it was resolved from (no reverse lookup); an address
		 * given as an IP literal stays that literal.
		 */
		private static String connectedName(Socket socket, String host) {
			InetAddress remote = socket.getInetAddress();
			if (remote == null || !host.equals(remote.getHostAddress())) {
				return host;
			}
			return new InetSocketAddress(remote, socket.getPort()).getHostString();
		}

		@Override
		public Socket createSocket() throws IOException {
			return configure(this.delegate.createSocket());
		}

		@Override
		public Socket createSocket(String host, int port) throws IOException {
			return configure(this.delegate.createSocket(host, port));
		}

		@Override
		public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
			return configure(this.delegate.createSocket(host, port, localHost, localPort));
		}

		@Override
		public Socket createSocket(InetAddress host, int port) throws IOException {
			return configure(this.delegate.createSocket(host, port));
		}

		@Override
		public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
				throws IOException {
			return configure(this.delegate.createSocket(address, port, localAddress, localPort));
		}

		private Socket configure(Socket socket) {
			((SSLSocket) socket).setSSLParameters(sslParameters());
			return socket;
		}

	}

}

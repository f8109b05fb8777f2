package io.github.nsqspring.core;

import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.SSLException;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Opens an NSQ producer connection on a connected socket: magic and IDENTIFY with feature negotiation,
 * the TLS upgrade when {@link NsqSecurity#usesTls()} (refused when nsqd does not offer TLS: nothing is
 * sent in plaintext), then the switch to snappy or deflate compression when asked for (refused when nsqd
 * does not agree), and AUTH when nsqd's IDENTIFY answer says {@code auth_required}. Runs within a
 * deadline; every failure is an {@link IOException} saying which step failed and nsqd's
 * answer, never the secret.
 */
final class NsqProducerHandshake {

	private static final Log logger = LogFactory.getLog(NsqProducerHandshake.class);

	private NsqProducerHandshake() {
	}

	/**
	 * Performs the handshake without compression and returns the socket to talk to nsqd on: the given one,
	 * or the TLS socket layered over it.
	 * @param deadlineNanos when the whole handshake must be done ({@link System#nanoTime()}); each wait
	 * for nsqd gets the socket read timeout that is left
	 */
	static Socket perform(Socket socket, NsqAddress address, long heartbeatIntervalMillis, NsqSecurity security,
			long deadlineNanos) throws IOException {
		return perform(socket, address, heartbeatIntervalMillis, NsqCompression.NONE,
				NsqProducerSettings.DEFAULT_DEFLATE_LEVEL, security, deadlineNanos).socket();
	}

	/**
	 * Performs the handshake and returns what to talk to nsqd on: TLS first when enabled, then the
	 * compression, which nsqd must agree to (a refusal fails the handshake naming the property).
	 * @param deflateLevel the level of what is sent, when the compression is deflate
	 * @param deadlineNanos when the whole handshake must be done ({@link System#nanoTime()}); each wait
	 * for nsqd gets the socket read timeout that is left
	 */
	static Connected perform(Socket socket, NsqAddress address, long heartbeatIntervalMillis,
			NsqCompression compression, int deflateLevel, NsqSecurity security, long deadlineNanos) throws IOException {
		// unbuffered input: nothing past nsqd's IDENTIFY answer may be read before the TLS upgrade
		DataInputStream in = new DataInputStream(socket.getInputStream());
		DataOutputStream out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream()));
		NsqWire.writeHandshake(out, heartbeatIntervalMillis, security.usesTls(), compression, deflateLevel);
		out.flush();
		String features = response(read(in, socket, deadlineNanos, "IDENTIFY"), "IDENTIFY");
		Socket connected = socket;
		NsqTls tls = security.tls();
		if (tls != null) {
			if (!flag(features, "tls_v1")) {
				throw new IOException("nsqd does not offer TLS (it runs without --tls-cert and --tls-key) while TLS is "
						+ "enabled (nsq.ssl): not publishing in plaintext");
			}
			connected = upgrade(socket, address, tls, deadlineNanos);
			in = new DataInputStream(connected.getInputStream());
			NsqWire.Frame upgraded;
			try {
				upgraded = read(in, socket, deadlineNanos, "the TLS upgrade");
			}
			catch (SSLException ex) {
				// with TLS 1.3 nsqd checks the client certificate after the client's handshake completed
				throw new SSLException("nsqd ended the TLS connection after the handshake: " + ex.getMessage(), ex);
			}
			if (!upgraded.isOk()) {
				throw new IOException("nsqd answered the TLS upgrade with " + upgraded);
			}
		}
		InputStream input = connected.getInputStream();
		OutputStream output = connected.getOutputStream();
		if (compression != NsqCompression.NONE) {
			input = upgradeCompression(input, socket, compression, features, deadlineNanos);
			output = NsqCompressionStreams.output(compression, deflateLevel, output);
		}
		if (flag(features, "auth_required")) {
			authenticate(new DataInputStream(input), new DataOutputStream(new BufferedOutputStream(output)), socket,
					address, security, deadlineNanos);
		}
		return new Connected(connected, input, output);
	}

	/**
	 * Checks that nsqd agreed to the compression and reads its OK, the first frame it compresses; returns the
	 * decompressing input.
	 */
	private static InputStream upgradeCompression(InputStream in, Socket socket, NsqCompression compression,
			String features, long deadlineNanos) throws IOException {
		if (!flag(features, compression.toString())) {
			throw new IOException("nsqd refused " + compression + " compression (it runs with --" + compression
					+ "=false) while nsq.producer.compression=" + compression);
		}
		String step = "the " + compression + " upgrade";
		limitWait(socket, deadlineNanos, step);
		InputStream decompressed;
		try {
			decompressed = NsqCompressionStreams.input(compression, in);
		}
		catch (SocketTimeoutException ex) {
			throw timedOut(step, ex);
		}
		NsqWire.Frame upgraded = read(new DataInputStream(decompressed), socket, deadlineNanos, step);
		if (!upgraded.isOk()) {
			throw new IOException("nsqd answered " + step + " with " + upgraded);
		}
		return decompressed;
	}

	private static void authenticate(DataInputStream in, DataOutputStream out, Socket socket, NsqAddress address,
			NsqSecurity security, long deadlineNanos) throws IOException {
		String secret = security.authSecret();
		if (secret == null) {
			throw new IOException("nsqd requires AUTH (it runs with --auth-http-address) but nsq.auth-secret is not set");
		}
		NsqWire.writeAuth(out, secret);
		out.flush();
		String identity = response(read(in, socket, deadlineNanos, "AUTH"), "AUTH");
		if (logger.isDebugEnabled()) {
			logger.debug("Authenticated to nsqd " + address + " as '" + string(identity, "identity") + "' with "
					+ number(identity, "permission_count") + " authorizations");
		}
	}

	private static Socket upgrade(Socket socket, NsqAddress address, NsqTls tls, long deadlineNanos) throws IOException {
		limitWait(socket, deadlineNanos, "the TLS handshake");
		try {
			return tls.upgrade(socket, address.host(), address.port());
		}
		catch (SocketTimeoutException ex) {
			throw timedOut("the TLS handshake", ex);
		}
	}

	/** Reads nsqd's answer to a step of the handshake, waiting at most until the deadline. */
	private static NsqWire.Frame read(DataInputStream in, Socket socket, long deadlineNanos, String step)
			throws IOException {
		limitWait(socket, deadlineNanos, step);
		try {
			return NsqWire.readFrame(in);
		}
		catch (SocketTimeoutException ex) {
			throw timedOut(step, ex);
		}
	}

	/** Sets the socket's read timeout to the time left, or fails when none is left. */
	private static void limitWait(Socket socket, long deadlineNanos, String step) throws IOException {
		long left = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
		if (left < 1) {
			throw timedOut(step, null);
		}
		socket.setSoTimeout((int) Math.min(left, Integer.MAX_VALUE));
	}

	private static SocketTimeoutException timedOut(String step, @Nullable Throwable cause) {
		SocketTimeoutException timeout = new SocketTimeoutException("nsqd did not answer " + step + " within the timeout");
		timeout.initCause(cause);
		return timeout;
	}

	private static String response(NsqWire.Frame frame, String command) throws IOException {
		if (!frame.isResponse()) {
			throw new IOException("nsqd answered " + command + " with " + frame);
		}
		return frame.text();
	}

	private static boolean flag(String json, String name) {
		return Pattern.compile("\"" + name + "\"\\s*:\\s*true").matcher(json).find();
	}

	private static String string(String json, String name) {
		Matcher matcher = Pattern.compile("\"" + name + "\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(json);
		return matcher.find() ? matcher.group(1) : "";
	}

	private static String number(String json, String name) {
		Matcher matcher = Pattern.compile("\"" + name + "\"\\s*:\\s*(\\d+)").matcher(json);
		return matcher.find() ? matcher.group(1) : "?";
	}

	/**
	 * The connection after the handshake.
	 * @param socket the socket: the TCP one or the TLS one layered over it
	 * @param in what nsqd sends, decompressed
	 * @param out what goes to nsqd, compressed; a flush reaches the socket
	 */
	record Connected(Socket socket, InputStream in, OutputStream out) {
	}

}

package io.github.nsqspring.core;

import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Checks that nsqd accepts a consumer before nsq-j connects it: connects, performs the handshake of
 * {@link NsqProducerHandshake} (IDENTIFY, TLS with hostname verification, AUTH when nsqd asks) and SUB,
 * then closes. nsq-j runs the same steps without checking nsqd's AUTH answer and logs each failure with a
 * stack trace at every lookup; the probe tells the listener container why nsqd refused it.
 */
final class NsqSubscribeProbe {

	private static final long HEARTBEAT_INTERVAL_MILLIS = 30_000;

	private NsqSubscribeProbe() {
	}

	/**
	 * @param timeout how long connecting, and then the handshake and SUB, may take each
	 * @throws NsqConsumerSettings.Refused when nsqd was reached but refused the consumer (TLS handshake, AUTH, SUB), with a
	 * message that says which step failed and nsqd's answer, never the secret
	 * @throws IOException when nsqd cannot be reached or does not answer within the timeout
	 */
	static void probe(NsqAddress address, String topic, String channel, NsqSecurity security, Duration timeout)
			throws IOException {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(address.host(), address.port()), (int) timeout.toMillis());
			long deadline = System.nanoTime() + timeout.toNanos();
			try {
				Socket connected = NsqProducerHandshake.perform(socket, address, HEARTBEAT_INTERVAL_MILLIS, security, deadline);
				DataOutputStream out = new DataOutputStream(new BufferedOutputStream(connected.getOutputStream()));
				out.write(("SUB " + topic + " " + channel + "\n").getBytes(StandardCharsets.US_ASCII));
				out.flush();
				socket.setSoTimeout((int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
				NsqWire.Frame answer = NsqWire.readFrame(new DataInputStream(connected.getInputStream()));
				if (!answer.isOk()) {
					throw new IOException("nsqd answered SUB " + topic + " " + channel + " with " + answer);
				}
			}
			catch (SocketTimeoutException ex) {
				throw ex;
			}
			catch (IOException ex) {
				throw new NsqConsumerSettings.Refused(ex.getMessage(), ex);
			}
		}
	}

}

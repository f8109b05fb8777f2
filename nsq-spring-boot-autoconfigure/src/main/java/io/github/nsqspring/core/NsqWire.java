package io.github.nsqspring.core;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The framing of NSQ's TCP protocol (V2) for a producer: the magic, IDENTIFY and AUTH that open a
 * connection, and nsqd's frames (size, type, data) that answer it.
 */
final class NsqWire {

	private static final int FRAME_TYPE_RESPONSE = 0;

	private static final int FRAME_TYPE_ERROR = 1;

	private static final int MAX_FRAME_SIZE = 16 * 1024 * 1024;

	private NsqWire() {
	}

	/**
	 * Writes the protocol magic and an IDENTIFY with feature negotiation, asking for heartbeats at the
	 * interval and, when {@code tlsV1}, for TLS; nsqd answers it with its settings as JSON.
	 */
	static void writeHandshake(DataOutputStream out, long heartbeatIntervalMillis, boolean tlsV1) throws IOException {
		byte[] identify = ("{\"user_agent\":\"nsq-spring-boot\",\"feature_negotiation\":true,\"tls_v1\":" + tlsV1
				+ ",\"heartbeat_interval\":" + heartbeatIntervalMillis + "}")
			.getBytes(StandardCharsets.US_ASCII);
		out.writeBytes("  V2");
		out.writeBytes("IDENTIFY\n");
		out.writeInt(identify.length);
		out.write(identify);
	}

	/** Writes AUTH with the secret, which nsqd answers with JSON (identity, permission count) or an error. */
	static void writeAuth(DataOutputStream out, String secret) throws IOException {
		byte[] body = secret.getBytes(StandardCharsets.UTF_8);
		out.writeBytes("AUTH\n");
		out.writeInt(body.length);
		out.write(body);
	}

	static Frame readFrame(DataInputStream in) throws IOException {
		int size = in.readInt();
		if (size < 4 || size > MAX_FRAME_SIZE) {
			throw new IOException("Invalid frame size " + size + " from nsqd");
		}
		int type = in.readInt();
		byte[] data = new byte[size - 4];
		in.readFully(data);
		return new Frame(type, data);
	}

	/** One frame from nsqd. */
	record Frame(int type, byte[] data) {

		boolean isOk() {
			return this.type == FRAME_TYPE_RESPONSE && "OK".equals(text());
		}

		boolean isResponse() {
			return this.type == FRAME_TYPE_RESPONSE;
		}

		boolean isHeartbeat() {
			return this.type == FRAME_TYPE_RESPONSE && "_heartbeat_".equals(text());
		}

		String text() {
			return new String(this.data, StandardCharsets.UTF_8);
		}

		@Override
		public String toString() {
			return switch (this.type) {
				case FRAME_TYPE_RESPONSE -> "response " + text();
				case FRAME_TYPE_ERROR -> "error " + text();
				default -> "frame of type " + this.type;
			};
		}

	}

}

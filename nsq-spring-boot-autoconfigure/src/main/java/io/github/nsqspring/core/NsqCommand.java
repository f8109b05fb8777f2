package io.github.nsqspring.core;

import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;


/**
 * A command of NSQ's TCP protocol (V2) that a producer sends: PUB, MPUB and DPUB, which nsqd answers
 * with OK or an error, and NOP, the unanswered reply to a heartbeat. Topics are validated before a
 * command is made, so they are plain ASCII.
 */
final class NsqCommand {

	static final NsqCommand NOP = new NsqCommand(Kind.NOP, "", List.of(), 0);

	private final Kind kind;

	private final String topic;

	private final List<byte[]> bodies;

	private final long delayMillis;

	private NsqCommand(Kind kind, String topic, List<byte[]> bodies, long delayMillis) {
		this.kind = kind;
		this.topic = topic;
		this.bodies = bodies;
		this.delayMillis = delayMillis;
	}

	static NsqCommand pub(String topic, byte[] body) {
		return new NsqCommand(Kind.PUB, topic, List.of(body), 0);
	}

	static NsqCommand mpub(String topic, List<byte[]> bodies) {
		return new NsqCommand(Kind.MPUB, topic, List.copyOf(bodies), 0);
	}

	static NsqCommand dpub(String topic, byte[] body, long delayMillis) {
		return new NsqCommand(Kind.DPUB, topic, List.of(body), delayMillis);
	}

	String topic() {
		return this.topic;
	}

	/**
	 * Whether this is a PUB or MPUB, whose messages may be sent together with others of the topic as one
	 * MPUB: nsqd accepts all of them or none, so each merged command stays all or nothing.
	 */
	boolean isMergeable() {
		return this.kind == Kind.PUB || this.kind == Kind.MPUB;
	}

	List<byte[]> bodies() {
		return this.bodies;
	}

	/** Bytes of the message bodies, without the protocol's framing. */
	long bodyBytes() {
		long bytes = 0;
		for (byte[] body : this.bodies) {
			bytes += body.length;
		}
		return bytes;
	}

	/** The message of a PUB or DPUB. */
	private byte[] body() {
		return this.bodies.get(0);
	}

	/** Whether nsqd answers this command (everything but NOP). */
	boolean expectsResponse() {
		return this.kind != Kind.NOP;
	}

	void writeTo(DataOutputStream out) throws IOException {
		switch (this.kind) {
			case PUB -> {
				out.writeBytes("PUB " + this.topic + "\n");
				writeMessage(out, body());
			}
			case DPUB -> {
				out.writeBytes("DPUB " + this.topic + " " + this.delayMillis + "\n");
				writeMessage(out, body());
			}
			case MPUB -> {
				out.writeBytes("MPUB " + this.topic + "\n");
				out.writeInt((int) MpubBatcher.bodySize(this.bodies));
				out.writeInt(this.bodies.size());
				for (byte[] body : this.bodies) {
					writeMessage(out, body);
				}
			}
			case NOP -> out.writeBytes("NOP\n");
		}
	}

	private static void writeMessage(DataOutputStream out, byte[] body) throws IOException {
		out.writeInt(body.length);
		out.write(body);
	}

	@Override
	public String toString() {
		return (this.kind == Kind.MPUB) ? "MPUB " + this.topic + " (" + this.bodies.size() + " messages)"
				: this.kind + " " + this.topic;
	}

	private enum Kind {

		PUB, MPUB, DPUB, NOP

	}

}

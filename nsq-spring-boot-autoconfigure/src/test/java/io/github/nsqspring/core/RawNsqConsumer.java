package io.github.nsqspring.core;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A minimal NSQ consumer for tests, independent of the code under test: SUB over its own socket,
 * RDY 2500, FIN every message at once, NOP to heartbeats. Records each body with its receive time.
 */
final class RawNsqConsumer implements AutoCloseable {

	private final Socket socket;

	private final DataOutputStream out;

	private final DataInputStream in;

	private final List<Received> received = new ArrayList<>();

	private final Thread reader;

	private volatile IOException failure;

	private RawNsqConsumer(String address, String topic, String channel) throws IOException {
		NsqAddress nsqd = NsqAddress.parse(address);
		this.socket = new Socket(nsqd.host(), nsqd.port());
		this.out = new DataOutputStream(new BufferedOutputStream(this.socket.getOutputStream()));
		this.in = new DataInputStream(new BufferedInputStream(this.socket.getInputStream()));
		this.out.writeBytes("  V2");
		this.out.writeBytes("SUB " + topic + " " + channel + "\n");
		this.out.flush();
		expectOk();
		this.out.writeBytes("RDY 2500\n");
		this.out.flush();
		this.reader = new Thread(this::readLoop, "raw-consumer-" + topic);
		this.reader.setDaemon(true);
		this.reader.start();
	}

	/** Subscribes (creating topic and channel on nsqd) and starts receiving. */
	static RawNsqConsumer subscribe(String address, String topic, String channel) {
		try {
			return new RawNsqConsumer(address, topic, channel);
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot subscribe to " + topic + " on " + address, ex);
		}
	}

	private void expectOk() throws IOException {
		int size = this.in.readInt();
		int type = this.in.readInt();
		byte[] data = this.in.readNBytes(size - 4);
		String text = new String(data, StandardCharsets.UTF_8);
		if (type != 0 || !text.equals("OK")) {
			throw new IOException("nsqd answered SUB with type " + type + ": " + text);
		}
	}

	private void readLoop() {
		try {
			while (true) {
				int size = this.in.readInt();
				int type = this.in.readInt();
				byte[] data = this.in.readNBytes(size - 4);
				if (type == 0 && "_heartbeat_".equals(new String(data, StandardCharsets.US_ASCII))) {
					this.out.writeBytes("NOP\n");
					this.out.flush();
				}
				else if (type == 2) {
					long receivedAt = System.currentTimeMillis();
					String id = new String(data, 10, 16, StandardCharsets.US_ASCII);
					byte[] body = new byte[data.length - 26];
					System.arraycopy(data, 26, body, 0, body.length);
					synchronized (this.received) {
						this.received.add(new Received(body, receivedAt));
					}
					this.out.writeBytes("FIN " + id + "\n");
					this.out.flush();
				}
				else if (type == 1) {
					throw new IOException("nsqd sent an error: " + new String(data, StandardCharsets.UTF_8));
				}
			}
		}
		catch (IOException ex) {
			if (!this.socket.isClosed()) {
				this.failure = ex;
			}
		}
	}

	List<Received> received() {
		if (this.failure != null) {
			throw new IllegalStateException("Consumer failed", this.failure);
		}
		synchronized (this.received) {
			return List.copyOf(this.received);
		}
	}

	List<String> texts() {
		return received().stream().map(Received::text).toList();
	}

	@Override
	public void close() throws IOException {
		this.socket.close();
	}

	/** One message body and when it arrived (epoch millis). */
	record Received(byte[] body, long receivedAtMillis) {

		String text() {
			return new String(this.body, StandardCharsets.UTF_8);
		}

	}

}

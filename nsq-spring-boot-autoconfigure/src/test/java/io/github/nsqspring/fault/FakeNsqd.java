package io.github.nsqspring.fault;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fake nsqd on a loopback {@link ServerSocket} for the faults a real one does not produce: each accepted
 * connection that opens with NSQ's magic runs the next {@link Script} of a list (the last one runs for all
 * further connections; a connection without the magic, such as a listener's reachability probe, runs none),
 * which may answer with malformed frames. It speaks enough of NSQ's TCP protocol (V2) for the template
 * and for an nsq-j subscriber.
 */
final class FakeNsqd implements AutoCloseable {

	static final int RESPONSE = 0;

	static final int ERROR = 1;

	static final int MESSAGE = 2;

	/** What nsq-j's IDENTIFY with feature negotiation expects back. */
	private static final String IDENTIFY_ANSWER = "{\"max_rdy_count\":2500,\"version\":\"1.3.0\",\"max_msg_timeout\":900000,"
			+ "\"msg_timeout\":60000,\"tls_v1\":false,\"deflate\":false,\"deflate_level\":0,\"max_deflate_level\":6,"
			+ "\"snappy\":false,\"sample_rate\":0,\"auth_required\":false,\"output_buffer_size\":16384,"
			+ "\"output_buffer_timeout\":250}";

	private final ServerSocket server;

	private final List<Script> scripts;

	private final AtomicInteger accepted = new AtomicInteger();

	private final List<Socket> sockets = new CopyOnWriteArrayList<>();

	FakeNsqd(List<Script> scripts) throws IOException {
		this.scripts = List.copyOf(scripts);
		this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		Thread acceptor = new Thread(this::accept, "fake-nsqd-" + this.server.getLocalPort());
		acceptor.setDaemon(true);
		acceptor.start();
	}

	String address() {
		return "127.0.0.1:" + this.server.getLocalPort();
	}

	/** Connections that sent the magic so far. */
	int connections() {
		return this.accepted.get();
	}

	/** Whether the client closed the connection with this number (1 for the first). */
	boolean isClosedByClient(int connection) {
		return this.sockets.size() >= connection && this.sockets.get(connection - 1).isClosed();
	}

	@Override
	public void close() throws IOException {
		this.server.close();
		for (Socket socket : this.sockets) {
			socket.close();
		}
	}

	private void accept() {
		while (!this.server.isClosed()) {
			try {
				Socket socket = this.server.accept();
				Thread handler = new Thread(() -> serve(socket), "fake-nsqd-connection");
				handler.setDaemon(true);
				handler.start();
			}
			catch (IOException ex) {
				// closed
			}
		}
	}

	private void serve(Socket socket) {
		try (socket) {
			Peer peer = new Peer(new DataInputStream(new BufferedInputStream(socket.getInputStream())),
					new DataOutputStream(socket.getOutputStream()));
			byte[] magic = peer.in.readNBytes(4);
			if (!"  V2".equals(new String(magic, StandardCharsets.US_ASCII))) {
				return;
			}
			Script script;
			synchronized (this.sockets) {
				int number = this.accepted.incrementAndGet();
				this.sockets.add(socket);
				script = this.scripts.get(Math.min(number, this.scripts.size()) - 1);
			}
			script.run(peer);
			// keep the connection open until the client closes it: the client must detect the fault itself
			while (peer.in.read() >= 0) {
				// discard
			}
		}
		catch (IOException ex) {
			// the client closed the connection
		}
	}

	/** What one connection does. */
	@FunctionalInterface
	interface Script {

		void run(Peer peer) throws IOException;

	}

	/** One client connection: reads its commands and writes frames. */
	static final class Peer {

		final DataInputStream in;

		final DataOutputStream out;

		Peer(DataInputStream in, DataOutputStream out) {
			this.in = in;
			this.out = out;
		}

		/** Reads IDENTIFY (after the magic) and answers OK (the template) or the feature JSON (nsq-j). */
		void handshake() throws IOException {
			Command identify = readCommand();
			boolean negotiates = new String(identify.body(), StandardCharsets.UTF_8).contains("\"feature_negotiation\":true");
			frame(RESPONSE, negotiates ? IDENTIFY_ANSWER : "OK");
		}

		/** Reads commands, answering as nsqd would, until one starts with the prefix; returns it. */
		Command serveUntil(String prefix) throws IOException {
			while (true) {
				Command command = readCommand();
				if (command.line().startsWith(prefix)) {
					return command;
				}
				answer(command);
			}
		}

		/** Answers every command as nsqd would, until the client closes. */
		void serveForever() throws IOException {
			while (true) {
				answer(readCommand());
			}
		}

		void answer(Command command) throws IOException {
			String name = command.line().split(" ")[0];
			switch (name) {
				case "PUB", "MPUB", "DPUB", "SUB" -> frame(RESPONSE, "OK");
				case "CLS" -> frame(RESPONSE, "CLOSE_WAIT");
				default -> {
					// RDY, FIN, REQ, TOUCH, NOP: no answer
				}
			}
		}

		Command readCommand() throws IOException {
			ByteArrayOutputStream line = new ByteArrayOutputStream();
			for (int b = this.in.read(); b != '\n'; b = this.in.read()) {
				if (b < 0) {
					throw new IOException("closed");
				}
				line.write(b);
			}
			String text = line.toString(StandardCharsets.US_ASCII);
			String name = text.split(" ")[0];
			byte[] body = new byte[0];
			if (List.of("IDENTIFY", "PUB", "MPUB", "DPUB", "AUTH").contains(name)) {
				body = new byte[this.in.readInt()];
				this.in.readFully(body);
			}
			return new Command(text, body);
		}

		void frame(int type, String data) throws IOException {
			frame(type, data.getBytes(StandardCharsets.UTF_8));
		}

		void frame(int type, byte[] data) throws IOException {
			this.out.writeInt(data.length + 4);
			this.out.writeInt(type);
			this.out.write(data);
			this.out.flush();
		}

		/** A message frame: timestamp, attempts, 16-byte id, body. */
		void message(String id, String body) throws IOException {
			ByteArrayOutputStream data = new ByteArrayOutputStream();
			DataOutputStream message = new DataOutputStream(data);
			message.writeLong(System.currentTimeMillis() * 1_000_000);
			message.writeShort(1);
			message.write(id.getBytes(StandardCharsets.US_ASCII));
			message.write(body.getBytes(StandardCharsets.UTF_8));
			frame(MESSAGE, data.toByteArray());
		}

		void raw(byte[] bytes) throws IOException {
			this.out.write(bytes);
			this.out.flush();
		}

		void rawInt(int value) throws IOException {
			this.out.writeInt(value);
			this.out.flush();
		}

	}

	/** A command line and its body (empty for commands without one). */
	record Command(String line, byte[] body) {
	}

	static FakeNsqd start(Script... scripts) {
		try {
			return new FakeNsqd(List.of(scripts));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}

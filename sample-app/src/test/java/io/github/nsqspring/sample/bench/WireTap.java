package io.github.nsqspring.sample.bench;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP relay in front of a plain nsqd (no TLS, no compression) that passes every byte on unchanged and
 * records, with {@link System#nanoTime()}, what each client connection says to nsqd (IDENTIFY, SUB, RDY,
 * FIN, REQ, TOUCH, CLS, ...), nsqd's responses to it ({@code OK}, {@code CLOSE_WAIT}; heartbeats and
 * messages are passed on unrecorded) and when each side closes. It sees the consumer protocol exactly as
 * nsqd does, from outside the library.
 */
final class WireTap implements AutoCloseable {

	/** One recorded event of a connection: who said it ({@code client} or {@code nsqd}) and what. */
	record Event(int connection, long nanos, String from, String what) {

	}

	private final ServerSocket server;

	private final String nsqdHost;

	private final int nsqdPort;

	private final List<Event> events = new CopyOnWriteArrayList<>();

	private final List<Socket> sockets = new CopyOnWriteArrayList<>();

	private final AtomicInteger connections = new AtomicInteger();

	WireTap(String nsqdAddress) throws IOException {
		this.nsqdHost = nsqdAddress.substring(0, nsqdAddress.lastIndexOf(':'));
		this.nsqdPort = Integer.parseInt(nsqdAddress.substring(nsqdAddress.lastIndexOf(':') + 1));
		this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		Thread acceptor = new Thread(this::accept, "wire-tap-accept");
		acceptor.setDaemon(true);
		acceptor.start();
	}

	/** The address to give clients instead of nsqd's. */
	String address() {
		return "127.0.0.1:" + this.server.getLocalPort();
	}

	List<Event> events() {
		return List.copyOf(this.events);
	}

	private void accept() {
		while (!this.server.isClosed()) {
			try {
				Socket client = this.server.accept();
				Socket nsqd = new Socket(this.nsqdHost, this.nsqdPort);
				client.setTcpNoDelay(true);
				nsqd.setTcpNoDelay(true);
				this.sockets.add(client);
				this.sockets.add(nsqd);
				int connection = this.connections.incrementAndGet();
				start("wire-tap-" + connection + "-out", () -> relayClient(connection, client, nsqd));
				start("wire-tap-" + connection + "-in", () -> relayNsqd(connection, nsqd, client));
			}
			catch (IOException ex) {
				// closed
			}
		}
	}

	private static void start(String name, Runnable task) {
		Thread thread = new Thread(task, name);
		thread.setDaemon(true);
		thread.start();
	}

	/** Client to nsqd: the 4-byte magic, then newline-terminated commands, IDENTIFY and AUTH with a body. */
	private void relayClient(int connection, Socket client, Socket nsqd) {
		try (InputStream raw = client.getInputStream(); OutputStream out = nsqd.getOutputStream()) {
			Recording in = new Recording(raw, out);
			in.readFully(4);
			while (true) {
				String line = in.readLine();
				String command = line.contains(" ") ? line.substring(0, line.indexOf(' ')) : line;
				if (command.equals("IDENTIFY") || command.equals("AUTH")) {
					byte[] body = in.readFully(in.readInt());
					record(connection, "client", command + " " + new String(body, StandardCharsets.UTF_8));
				}
				else {
					record(connection, "client", line);
				}
			}
		}
		catch (IOException ex) {
			record(connection, "client", "closed");
			closeQuietly(nsqd);
		}
	}

	/** nsqd to client: frames of size, type and data; responses other than heartbeats are recorded. */
	private void relayNsqd(int connection, Socket nsqd, Socket client) {
		try (InputStream raw = nsqd.getInputStream(); OutputStream out = client.getOutputStream()) {
			Recording in = new Recording(raw, out);
			while (true) {
				int size = in.readInt();
				int type = in.readInt();
				byte[] data = in.readFully(size - 4);
				if (type == 0) {
					String response = new String(data, StandardCharsets.UTF_8);
					if (!response.equals("_heartbeat_")) {
						record(connection, "nsqd", response.startsWith("{") ? "identify-response" : response);
					}
				}
				else if (type == 1) {
					record(connection, "nsqd", "error " + new String(data, StandardCharsets.UTF_8));
				}
			}
		}
		catch (IOException ex) {
			record(connection, "nsqd", "closed");
			closeQuietly(client);
		}
	}

	private void record(int connection, String from, String what) {
		this.events.add(new Event(connection, System.nanoTime(), from, what));
	}

	@Override
	public void close() throws IOException {
		this.server.close();
		for (Socket socket : this.sockets) {
			closeQuietly(socket);
		}
	}

	private static void closeQuietly(Socket socket) {
		try {
			socket.close();
		}
		catch (IOException ex) {
			// closing
		}
	}

	/** Reads from one side and writes every byte read to the other side before returning it. */
	private static final class Recording {

		private final DataInputStream in;

		private final OutputStream out;

		Recording(InputStream in, OutputStream out) {
			this.in = new DataInputStream(new BufferedInputStream(in));
			this.out = out;
		}

		byte[] readFully(int length) throws IOException {
			byte[] bytes = new byte[length];
			this.in.readFully(bytes);
			this.out.write(bytes);
			this.out.flush();
			return bytes;
		}

		int readInt() throws IOException {
			byte[] bytes = readFully(4);
			return ((bytes[0] & 0xff) << 24) | ((bytes[1] & 0xff) << 16) | ((bytes[2] & 0xff) << 8) | (bytes[3] & 0xff);
		}

		String readLine() throws IOException {
			List<Byte> line = new ArrayList<>();
			while (true) {
				int next = this.in.read();
				if (next < 0) {
					throw new EOFException();
				}
				this.out.write(next);
				if (next == '\n') {
					this.out.flush();
					byte[] bytes = new byte[line.size()];
					for (int i = 0; i < bytes.length; i++) {
						bytes[i] = line.get(i);
					}
					return new String(bytes, StandardCharsets.UTF_8);
				}
				line.add((byte) next);
			}
		}

	}

}

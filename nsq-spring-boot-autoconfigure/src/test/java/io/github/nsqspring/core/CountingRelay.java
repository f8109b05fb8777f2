package io.github.nsqspring.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A loopback TCP relay in front of a server that counts the bytes the server sends back, whatever they
 * carry (TLS records included): a way to see how many answers a client got without reading them.
 */
final class CountingRelay implements AutoCloseable {

	private final ServerSocket server;

	private final InetSocketAddress target;

	private final AtomicLong bytesFromServer = new AtomicLong();

	private final List<Socket> sockets = new CopyOnWriteArrayList<>();

	CountingRelay(String host, int port) throws IOException {
		this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		this.target = new InetSocketAddress(host, port);
		Thread acceptor = new Thread(this::accept, "counting-relay");
		acceptor.setDaemon(true);
		acceptor.start();
	}

	/** The relay's address, {@code 127.0.0.1:port}. */
	String address() {
		return "127.0.0.1:" + this.server.getLocalPort();
	}

	/** Bytes the server sent to the relay's clients so far. */
	long bytesFromServer() {
		return this.bytesFromServer.get();
	}

	private void accept() {
		while (!this.server.isClosed()) {
			try {
				Socket client = this.server.accept();
				Socket upstream = new Socket();
				upstream.connect(this.target, 2000);
				this.sockets.add(client);
				this.sockets.add(upstream);
				pump(client, upstream, null);
				pump(upstream, client, this.bytesFromServer);
			}
			catch (IOException ex) {
				// closed
			}
		}
	}

	private static void pump(Socket from, Socket to, AtomicLong counter) {
		Thread thread = new Thread(() -> {
			byte[] buffer = new byte[16 * 1024];
			try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
				for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
					out.write(buffer, 0, read);
					out.flush();
					if (counter != null) {
						counter.addAndGet(read);
					}
				}
			}
			catch (IOException ex) {
				// one side closed
			}
			finally {
				closeQuietly(from);
				closeQuietly(to);
			}
		}, "counting-relay-pump");
		thread.setDaemon(true);
		thread.start();
	}

	private static void closeQuietly(Socket socket) {
		try {
			socket.close();
		}
		catch (IOException ex) {
			// closing
		}
	}

	@Override
	public void close() throws IOException {
		this.server.close();
		this.sockets.forEach(CountingRelay::closeQuietly);
	}

}

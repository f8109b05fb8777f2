package io.github.nsqspring.core;

import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;

import io.github.nsqspring.test.NsqServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.tuple;

/** {@link NsqdStatsReader} against a real nsqd that keeps only 5 messages per queue in memory. */
class NsqdStatsReaderIntegrationTests {

	@RegisterExtension
	static NsqServer nsqd = NsqServer.withArguments("--mem-queue-size=5");

	private final NsqdStatsReader reader = new NsqdStatsReader(Duration.ofSeconds(1), null);

	@AfterEach
	void close() {
		this.reader.close();
	}

	@Test
	void depthIsWhatWaitsInMemoryAndOnDisk() {
		nsqd.createChannel("reader-depth", "c");
		nsqd.publishBatch("reader-depth", List.of("1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12"));
		NsqdStats.Channel channel = this.reader.read(nsqd.httpAddress()).join().channel("reader-depth", "c");
		assertThat(channel).isNotNull();
		assertThat(channel.depth()).isEqualTo(12);
		assertThat(channel.backendDepth()).as("beyond the 5 in memory").isEqualTo(7);
		assertThat(channel.depth()).isEqualTo(nsqd.stats().channel("reader-depth", "c").depth());
	}

	@Test
	void deferredMessagesAreCountedApartFromTheDepth() {
		nsqd.createChannel("reader-deferred", "c");
		nsqd.publishDeferred("reader-deferred", "later", 60_000);
		nsqd.publish("reader-deferred", "now");
		NsqdStats.Channel channel = this.reader.read(nsqd.httpAddress()).join().channel("reader-deferred", "c");
		assertThat(channel).isNotNull();
		assertThat(channel.deferred()).isEqualTo(1);
		assertThat(channel.depth()).isEqualTo(1);
	}

	@Test
	void readsOneChannelFilteredByNsqd() {
		nsqd.createChannel("reader-filter", "wanted");
		nsqd.createChannel("reader-filter", "other");
		nsqd.createChannel("reader-filter-2", "wanted");
		nsqd.publish("reader-filter", "m");
		NsqdStats stats = this.reader.read(nsqd.httpAddress(), "reader-filter", "wanted").join();
		assertThat(stats.channels()).extracting(NsqdStats.Channel::topic, NsqdStats.Channel::name)
			.containsExactly(tuple("reader-filter", "wanted"));
		assertThat(stats.channel("reader-filter", "wanted").depth()).isEqualTo(1);
		assertThat(this.reader.read(nsqd.httpAddress(), "reader-filter", "missing").join().channel("reader-filter", "missing"))
			.isNull();
	}

	@Test
	void aClosedPortFailsAtOnce() throws Exception {
		int closedPort;
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			closedPort = socket.getLocalPort();
		}
		assertThatExceptionOfType(CompletionException.class).isThrownBy(() -> this.reader.read("127.0.0.1:" + closedPort).join())
			.withCauseInstanceOf(ConnectException.class);
	}

	@Test
	void aServerThatNeverAnswersFailsAfterTheTimeout() throws Exception {
		try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			long started = System.nanoTime();
			assertThatExceptionOfType(CompletionException.class)
				.isThrownBy(() -> this.reader.read("127.0.0.1:" + silent.getLocalPort()).join())
				.havingCause()
				.isInstanceOfAny(TimeoutException.class, HttpTimeoutException.class);
			assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(Duration.ofMillis(900), Duration.ofSeconds(3));
		}
	}

	@Test
	void anAnswerOtherThan200NamesTheUrlAndStatus() {
		assertThatExceptionOfType(CompletionException.class).isThrownBy(() -> this.reader.get(nsqd.httpAddress(), "/nope").join())
			.havingCause()
			.isInstanceOf(IllegalStateException.class)
			.withMessage("GET http://" + nsqd.httpAddress() + "/nope answered 404");
	}

}

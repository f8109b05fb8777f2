package io.github.nsqspring.test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class NsqServerTests {

	@RegisterExtension
	static NsqServer nsqd = NsqServer.withArguments("--msg-timeout=3s");

	@Test
	void publishedMessagesShowInStats() {
		nsqd.createTopic("stats-topic");
		nsqd.createChannel("stats-topic", "reader");
		nsqd.publish("stats-topic", "one");
		nsqd.publish("stats-topic", "two".getBytes(StandardCharsets.UTF_8));

		NsqStats.ChannelStats channel = nsqd.stats().channel("stats-topic", "reader");
		assertThat(channel.depth()).isEqualTo(2);
		assertThat(channel.inFlightCount()).isZero();
		assertThat(channel.requeueCount()).isZero();
		assertThat(channel.timeoutCount()).isZero();
		assertThat(nsqd.stats().topic("stats-topic").messageCount()).isEqualTo(2);
	}

	@Test
	void emptyAndDeleteTopic() {
		nsqd.publish("scratch", "x");
		assertThat(nsqd.stats().topic("scratch").depth()).isEqualTo(1);
		nsqd.emptyTopic("scratch");
		assertThat(nsqd.stats().topic("scratch").depth()).isZero();
		nsqd.deleteTopic("scratch");
		assertThat(nsqd.stats().findTopic("scratch")).isEmpty();
	}

	@Test
	void extraArgumentsReachNsqd() {
		assertThat(nsqd.info()).contains("\"tcp_port\":" + nsqd.tcpAddress().split(":")[1]);
	}

	@Test
	void restartKeepsAddressAndQueuedMessages() {
		nsqd.createChannel("durable", "reader");
		nsqd.publish("durable", "kept");
		String address = nsqd.tcpAddress();

		nsqd.stop();
		assertThat(nsqd.isRunning()).isFalse();
		nsqd.start();

		assertThat(nsqd.tcpAddress()).isEqualTo(address);
		assertThat(nsqd.stats().channel("durable", "reader").depth()).isEqualTo(1);
	}

	@Test
	void killedNsqdRestartsOnItsAddress() {
		String address = nsqd.tcpAddress();
		long pid = nsqd.pid();

		nsqd.kill();
		assertThat(nsqd.isRunning()).isFalse();
		assertThat(ProcessHandle.of(pid)).isEmpty();
		nsqd.start();

		assertThat(nsqd.tcpAddress()).isEqualTo(address);
		assertThat(nsqd.pid()).isNotEqualTo(pid);
		nsqd.publish("after-kill", "x");
		assertThat(nsqd.stats().topic("after-kill").messageCount()).isEqualTo(1);
	}

	@Test
	void frozenNsqdIsStoppedUntilThawed() throws Exception {
		Path stat = Path.of("/proc", Long.toString(nsqd.pid()), "stat");
		nsqd.freeze();
		try {
			assertThat(Files.readString(stat)).contains(") T ");
		}
		finally {
			nsqd.thaw();
		}
		assertThat(Files.readString(stat)).doesNotContain(") T ");
	}

	@Nested
	class MissingBinary {

		@Test
		void failsWithInstallHint() {
			assertThatIllegalStateException().isThrownBy(() -> NsqBinaries.find("nsqd-that-does-not-exist"))
				.withMessageContaining("scripts/install-nsq.sh")
				.withMessageContaining("NSQ_BIN");
		}

	}

	@Nested
	class SharedWithNestedClasses {

		@Test
		void firstNestedClassSeesTheRunningServer() {
			assertThat(nsqd.isRunning()).isTrue();
			nsqd.publish("nested-one", "x");
			assertThat(nsqd.stats().topic("nested-one").messageCount()).isEqualTo(1);
		}

	}

	@Nested
	class StillSharedAfterAnotherNestedClass {

		@Test
		void secondNestedClassSeesTheRunningServer() {
			assertThat(nsqd.isRunning()).isTrue();
			nsqd.publish("nested-two", "x");
			assertThat(nsqd.stats().topic("nested-two").messageCount()).isEqualTo(1);
		}

	}

}

package io.github.nsqspring.test;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/** A real redis-server on a free loopback port, restartable on the same port. */
class RedisServerTests {

	@Test
	void startsOnAFreeLoopbackPortRestartsOnTheSamePortAndCleansUp() throws IOException {
		try (RedisServer redis = RedisServer.create().start()) {
			int port = redis.port();
			assertThat(port).isPositive();
			assertThat(redis.isRunning()).isTrue();
			new Socket("127.0.0.1", port).close();
			redis.stop();
			assertThat(redis.isRunning()).isFalse();
			redis.start();
			assertThat(redis.port()).isEqualTo(port);
			assertThat(redis.isRunning()).isTrue();
		}
	}

	@Test
	void missingExecutableNamesTheInstallScript() {
		assertThatIllegalStateException()
			.isThrownBy(() -> NsqBinaries.find("Redis executable", "redis-server", List.of(Path.of("/nonexistent")),
					RedisServer.INSTALL_HINT))
			.withMessageContaining("scripts/install-redis.sh");
	}

}

package io.github.nsqspring.test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

import org.springframework.test.context.DynamicPropertyRegistry;

import static org.assertj.core.api.Assertions.assertThat;

class PostgresServerTests {

	@Test
	void startsOnAFreeLoopbackPortRestartsOnTheSamePortAndCleansUp() {
		try (PostgresServer postgres = PostgresServer.create()) {
			postgres.start();
			int port = postgres.port();
			assertThat(postgres.isRunning()).isTrue();
			assertThat(postgres.jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:" + port + "/test");
			assertThat(accepts(port)).isTrue();

			postgres.stop();
			assertThat(postgres.isRunning()).isFalse();
			assertThat(accepts(port)).isFalse();

			postgres.start();
			assertThat(postgres.port()).isEqualTo(port);
			assertThat(accepts(port)).isTrue();
		}
	}

	@Test
	void registersDataSourceProperties() {
		try (PostgresServer postgres = PostgresServer.create()) {
			RecordingRegistry registry = new RecordingRegistry();
			postgres.registerProperties(registry);
			assertThat(registry.names).containsExactly("spring.datasource.url", "spring.datasource.username",
					"spring.datasource.password");
		}
	}

	private static boolean accepts(int port) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	static class RecordingRegistry implements DynamicPropertyRegistry {

		final List<String> names = new ArrayList<>();

		@Override
		public void add(String name, Supplier<Object> valueSupplier) {
			this.names.add(name);
		}

	}

}

package io.github.nsqspring.actuate;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** The health check against servers that misbehave. */
class NsqHealthIndicatorTests {

	private final CountDownLatch release = new CountDownLatch(1);

	private HttpServer stalling;

	@BeforeEach
	void startAServerThatSendsHeadersThenStalls() throws IOException {
		this.stalling = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		this.stalling.createContext("/", (exchange) -> {
			exchange.sendResponseHeaders(200, 100);
			OutputStream body = exchange.getResponseBody();
			body.write('{');
			body.flush();
			try {
				this.release.await();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			exchange.close();
		});
		this.stalling.start();
	}

	@AfterEach
	void stop() {
		this.release.countDown();
		this.stalling.stop(0);
	}

	@Test
	void aServerThatStallsAfterItsHeadersIsDownAfterTheTimeoutInsteadOfBlockingTheHealthCheck() {
		String address = "127.0.0.1:" + this.stalling.getAddress().getPort();
		NsqHealthIndicator indicator = new NsqHealthIndicator(null, List.of(address), List.of(address), () -> true,
				Duration.ofMillis(500), null);
		// a guard against a hang, far above the 500 ms timeout: not a speed goal
		Health health = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> indicator.health());
		assertThat(health.getStatus()).isEqualTo(Status.DOWN);
		// the whole-request timeout, or the client's own header timeout when a loaded machine delays the headers
		String timedOut = ".*" + Pattern.quote(address) + "=DOWN: (Http)?TimeoutException.*";
		assertThat(health.getDetails().get("nsqd").toString()).matches(timedOut);
		assertThat(health.getDetails().get("nsqlookupd").toString()).matches(timedOut);
	}

}

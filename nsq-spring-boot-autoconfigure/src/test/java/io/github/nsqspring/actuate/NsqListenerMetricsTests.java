package io.github.nsqspring.actuate;

import java.util.List;

import io.github.nsqspring.listener.ContainerProperties;
import io.github.nsqspring.listener.ListenerStats;
import io.github.nsqspring.listener.MessageObserver.OutcomeObserver;
import io.github.nsqspring.listener.MessageOutcome;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code nsq.listener} timers of a container: {@code finished} from its creation, the other outcomes' from
 * their first message, each counted by one timer.
 */
class NsqListenerMetricsTests {

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	@Test
	void finishedTimerAtOnceAndTheOthersWithTheirFirstOutcome() {
		ContainerProperties properties = new ContainerProperties("orders", "billing");
		properties.setName("orders-listener");
		OutcomeObserver observer = new NsqListenerMetrics(this.meters).observe(properties, new ListenerStats());
		assertThat(results()).containsExactly("finished");
		observer.acknowledged(null, MessageOutcome.REQUEUED, 1_000_000);
		observer.acknowledged(null, MessageOutcome.REQUEUED, 1_000_000);
		observer.acknowledged(null, MessageOutcome.FINISHED, 1_000_000);
		assertThat(results()).containsExactlyInAnyOrder("finished", "requeued");
		assertThat(timer("requeued").count()).isEqualTo(2);
		assertThat(timer("finished").count()).isEqualTo(1);
		assertThat(timer("requeued").getId().getTag("listener")).isEqualTo("orders-listener");
	}

	@Test
	void noTimersWhenObservationsMakeThem() {
		ContainerProperties properties = new ContainerProperties("orders", "billing");
		properties.setObservationEnabled(true);
		new NsqListenerMetrics(this.meters).observe(properties, new ListenerStats());
		assertThat(results()).isEmpty();
	}

	private List<String> results() {
		return this.meters.find("nsq.listener").timers().stream().map((timer) -> timer.getId().getTag("result")).toList();
	}

	private Timer timer(String result) {
		return this.meters.get("nsq.listener").tag("result", result).timer();
	}

}

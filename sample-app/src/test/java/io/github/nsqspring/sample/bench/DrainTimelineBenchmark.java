package io.github.nsqspring.sample.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.github.nsqspring.annotation.NsqListener;
import io.github.nsqspring.listener.NsqMessageListenerContainer;
import io.github.nsqspring.listener.NsqListenerRegistry;
import io.github.nsqspring.sample.bench.chart.DrainTimelineChart;
import io.github.nsqspring.test.NsqServer;
import io.github.nsqspring.test.NsqStats;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The drain seen from nsqd's side of the wire: {@value #LISTENERS} listeners (concurrency 2, max-in-flight
 * 6, handlers of 0.4 to 1.3 s, a backlog each) consume through a {@link WireTap} in front of a real nsqd; the
 * application context is closed while every handler runs, and the tap's timestamps of each connection's
 * RDY 0, REQ, FIN, CLS, nsqd's CLOSE_WAIT and the socket's close are written as JSON and drawn as
 * {@code docs/images/drain-timeline.svg}. Checked against nsqd's {@code /stats} afterwards: nothing in
 * flight, nothing timed out, every message handled or back in the channel. Not a test: run with
 * {@code ./mvnw -B -ntp -Pbench -pl sample-app exec:exec@drain-timeline} (or the whole bench profile).
 */
public final class DrainTimelineBenchmark {

	static final int LISTENERS = 4;

	static final int CONCURRENCY = 2;

	static final int BACKLOG = 40;

	public static void main(String[] args) throws Exception {
		Path output = Path.of((args.length > 0) ? args[0] : "target/bench/drain-timeline.json");
		try (NsqServer nsqd = NsqServer.create().start(); WireTap tap = new WireTap(nsqd.tcpAddress())) {
			for (int i = 0; i < LISTENERS; i++) {
				nsqd.createChannel(TimelineApp.topic(i), "bench");
				for (int m = 0; m < BACKLOG; m++) {
					nsqd.publish(TimelineApp.topic(i), "m" + m);
				}
			}
			TimelineApp.allRunning = new CountDownLatch(LISTENERS * CONCURRENCY);
			Map<String, Object> properties = new LinkedHashMap<>();
			properties.put("nsq.nsqd-addresses", tap.address());
			properties.put("nsq.nsqd-http-addresses", nsqd.httpAddress());
			// nsq-j holds FIN/REQ for at most this long: the wire shows a handler's end within 25 ms
			properties.put("nsq.consumer.output-buffer-timeout", "25ms");
			properties.put("spring.application.name", "bench");
			properties.put("logging.level.root", "WARN");
			properties.put("spring.main.banner-mode", "off");
			ConfigurableApplicationContext context = new SpringApplicationBuilder(TimelineApp.class)
				.web(WebApplicationType.NONE)
				.properties(properties)
				.run();
			NsqListenerRegistry registry = context.getBean(NsqListenerRegistry.class);
			if (!TimelineApp.allRunning.await(30, TimeUnit.SECONDS)) {
				throw new IllegalStateException("The handlers did not all start");
			}
			Thread.sleep(150);
			long closeStart = System.nanoTime();
			context.close();
			long closeEnd = System.nanoTime();
			Thread.sleep(200);
			List<Map<String, Object>> listeners = timelines(tap.events(), closeStart);
			Map<String, Object> document = new LinkedHashMap<>();
			document.put("closeMillis", millis(closeEnd - closeStart));
			document.put("listeners", listeners);
			List<String> reports = new ArrayList<>();
			for (int i = 0; i < LISTENERS; i++) {
				NsqMessageListenerContainer container = registry.getContainer(TimelineApp.topic(i)).orElseThrow();
				reports.add(String.valueOf(container.getLastDrain()));
			}
			document.put("drainReports", reports);
			document.put("nsqd", check(nsqd.stats()));
			Files.createDirectories(output.toAbsolutePath().getParent());
			Files.writeString(output, JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build()
				.writeValueAsString(document));
			System.out.println(Files.readString(output));
			System.out.println("Written to " + output.toAbsolutePath());
			DrainTimelineChart.draw(output);
		}
	}

	/** Per listener (its SUB names the topic): the events of its connection from the close on, in ms. */
	private static List<Map<String, Object>> timelines(List<WireTap.Event> events, long closeStart) {
		Map<Integer, String> topics = new LinkedHashMap<>();
		for (WireTap.Event event : events) {
			if (event.what().startsWith("SUB ")) {
				topics.put(event.connection(), event.what().split(" ")[1]);
			}
		}
		List<Map<String, Object>> listeners = new ArrayList<>();
		for (int i = 0; i < LISTENERS; i++) {
			String topic = TimelineApp.topic(i);
			List<Map<String, Object>> wire = new ArrayList<>();
			for (WireTap.Event event : events) {
				if (topic.equals(topics.get(event.connection())) && event.nanos() >= closeStart
						&& !event.what().startsWith("identify")) {
					wire.add(Map.of("millis", millis(event.nanos() - closeStart), "from", event.from(), "what",
							event.what().split(" ")[0] + (event.what().startsWith("RDY") ? " " + event.what().split(" ")[1] : "")));
				}
			}
			Map<String, Object> listener = new LinkedHashMap<>();
			listener.put("listener", topic);
			listener.put("handlerMillis", TimelineApp.handlerMillis(i));
			listener.put("events", wire);
			listeners.add(listener);
		}
		return listeners;
	}

	/** nsqd's /stats after the close: what the drain left behind, per channel; fails on a loss. */
	private static List<Map<String, Object>> check(NsqStats stats) {
		List<Map<String, Object>> channels = new ArrayList<>();
		for (int i = 0; i < LISTENERS; i++) {
			NsqStats.ChannelStats channel = stats.channel(TimelineApp.topic(i), "bench");
			int handled = TimelineApp.handled[i];
			if (channel.inFlightCount() != 0 || channel.timeoutCount() != 0 || channel.depth() + handled != BACKLOG) {
				throw new IllegalStateException(TimelineApp.topic(i) + ": in flight " + channel.inFlightCount() + ", timed out "
						+ channel.timeoutCount() + ", depth " + channel.depth() + " + handled " + handled + " != " + BACKLOG);
			}
			channels.add(Map.of("topic", TimelineApp.topic(i), "depth", channel.depth(), "handled", handled, "requeueCount",
					channel.requeueCount(), "inFlight", channel.inFlightCount(), "timeouts", channel.timeoutCount()));
		}
		return channels;
	}

	private static double millis(long nanos) {
		return Math.round(nanos / 1e4) / 100.0;
	}

	/** Four listeners whose handlers take 0.4, 0.7, 1.0 and 1.3 s. */
	@EnableAutoConfiguration
	static class TimelineApp {

		static volatile CountDownLatch allRunning;

		static final int[] handled = new int[LISTENERS];

		static String topic(int i) {
			return "timeline-" + i;
		}

		static long handlerMillis(int i) {
			return 400 + 300L * i;
		}

		private static void handle(int i) throws InterruptedException {
			allRunning.countDown();
			Thread.sleep(handlerMillis(i));
			synchronized (handled) {
				handled[i]++;
			}
		}

		@NsqListener(id = "timeline-0", topic = "timeline-0", channel = "bench", concurrency = "" + CONCURRENCY, maxInFlight = "6")
		void l0(String body) throws InterruptedException {
			handle(0);
		}

		@NsqListener(id = "timeline-1", topic = "timeline-1", channel = "bench", concurrency = "" + CONCURRENCY, maxInFlight = "6")
		void l1(String body) throws InterruptedException {
			handle(1);
		}

		@NsqListener(id = "timeline-2", topic = "timeline-2", channel = "bench", concurrency = "" + CONCURRENCY, maxInFlight = "6")
		void l2(String body) throws InterruptedException {
			handle(2);
		}

		@NsqListener(id = "timeline-3", topic = "timeline-3", channel = "bench", concurrency = "" + CONCURRENCY, maxInFlight = "6")
		void l3(String body) throws InterruptedException {
			handle(3);
		}

	}

}

package io.github.nsqspring.sample.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import io.github.nsqspring.observation.DefaultNsqListenerObservationConvention;
import io.github.nsqspring.observation.NsqListenerObservation;
import io.github.nsqspring.observation.NsqListenerObservationContext;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The time one {@code nsq.listener} observation takes, on one thread and without nsqd: what a listener
 * container does per message with {@code nsq.consumer.observation-enabled=true} (a context, the default
 * convention, start, the scope open around the listener call, the outcome, stop), next to the plain
 * {@code nsq.listener} timer that it records per message with observations off. Cases: the
 * {@link ObservationRegistry} of a Spring Boot application with actuator (its metrics put the starter's
 * {@code NsqMeterObservationHandler} first), Micrometer's {@link DefaultMeterObservationHandler} alone (a
 * timer and a long task timer per observation, on a meter registry of its own), and a handler that does
 * nothing (the Observation API itself). The cases share the measuring loop and run in the reverse order:
 * the do-nothing handler first, Boot's registry last, on the loop's most mixed JIT profile. Median of
 * {@value #ROUNDS} rounds of {@value #OBSERVATIONS} after a warm-up round. Not a test: run with
 * {@code ./mvnw -B -ntp -Pbench -pl sample-app test-compile exec:exec@observation-benchmark}.
 */
public final class ObservationBenchmark {

	static final int OBSERVATIONS = 2_000_000;

	static final int ROUNDS = 5;

	private static volatile Object sink;

	private ObservationBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		Path output = Path.of((args.length > 0) ? args[0] : "target/bench/observation.json");
		Map<String, Object> results = new LinkedHashMap<>();
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE)
			// arguments, not default properties: they win over the sample's application.properties (no archive)
			.run("--nsq.consumer.observation-enabled=true", "--nsq.archive.topics=", "--spring.main.banner-mode=off",
					"--logging.level.root=WARN")) {
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			Timer plain = Timer.builder("nsq.listener").tag("listener", "bench").tag("result", "finished").register(meters);
			ObservationRegistry micrometers = ObservationRegistry.create();
			micrometers.observationConfig().observationHandler(new DefaultMeterObservationHandler(new SimpleMeterRegistry()));
			ObservationRegistry doingNothing = ObservationRegistry.create();
			doingNothing.observationConfig().observationHandler((observed) -> true);
			double timerNanos = measure(() -> recordPlainTimer(plain));
			System.out.println("one nsq.listener observation per message, " + OBSERVATIONS + " on one thread, median of "
					+ ROUNDS + " rounds");
			System.out.printf("  %-58s %10s %9s%n", "case", "ns/msg", "/ timer");
			print(results, "plain nsq.listener timer (observations off)", timerNanos, timerNanos);
			print(results, "observation, a handler that does nothing", measure(() -> observe(doingNothing)), timerNanos);
			print(results, "observation, Micrometer's DefaultMeterObservationHandler", measure(() -> observe(micrometers)),
					timerNanos);
			print(results, "observation, Spring Boot's registry with actuator", measure(
					() -> observe(context.getBean(ObservationRegistry.class))), timerNanos);
		}
		Files.createDirectories(output.toAbsolutePath().getParent());
		Files.writeString(output,
				JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build().writeValueAsString(results));
		System.out.println("Written to " + output.toAbsolutePath());
	}

	private static long observe(ObservationRegistry registry) {
		DefaultNsqListenerObservationConvention convention = new DefaultNsqListenerObservationConvention();
		long start = System.nanoTime();
		for (int i = 0; i < OBSERVATIONS; i++) {
			NsqListenerObservationContext context = new NsqListenerObservationContext("bench", "orders", "bench",
					"0a1b2c3d4e5f6a7b", 1);
			Observation observation = NsqListenerObservation.LISTENER_OBSERVATION
				.observation(null, convention, () -> context, registry)
				.start();
			try (Observation.Scope scope = observation.openScope()) {
				sink = scope;
			}
			context.setOutcome("finished");
			observation.stop();
		}
		return System.nanoTime() - start;
	}

	private static long recordPlainTimer(Timer timer) {
		long start = System.nanoTime();
		for (int i = 0; i < OBSERVATIONS; i++) {
			long handled = System.nanoTime();
			sink = timer;
			timer.record(System.nanoTime() - handled, TimeUnit.NANOSECONDS);
		}
		return System.nanoTime() - start;
	}

	/** Nanoseconds per observation, the median of the rounds after a warm-up round. */
	private static double measure(LongSupplier round) {
		round.getAsLong();
		List<Double> perObservation = new ArrayList<>();
		for (int i = 0; i < ROUNDS; i++) {
			perObservation.add(round.getAsLong() / (double) OBSERVATIONS);
		}
		return ListenerBenchmark.median(perObservation);
	}

	private static void print(Map<String, Object> results, String name, double nanos, double timerNanos) {
		System.out.printf("  %-58s %10.0f %9.1f%n", name, nanos, nanos / timerNanos);
		results.put(name, Map.of("nanosPerMessage", nanos, "ratioToPlainTimer", nanos / timerNanos));
	}

	/** The sample's auto-configuration (actuator, metrics, the starter) without any listener. */
	@EnableAutoConfiguration
	static class App {

	}

}

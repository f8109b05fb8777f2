package io.github.nsqspring.sample.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.github.nsqspring.listener.NsqListenerContainer;
import io.github.nsqspring.listener.NsqListenerContainerFactory;
import io.github.nsqspring.listener.NsqListenerRegistry;
import io.github.nsqspring.listener.NsqMessageListenerContainer;
import io.github.nsqspring.test.NsqServer;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * What a listener costs: an application (a JVM of its own) registers {@value #LISTENERS} listeners at
 * runtime through the public {@link NsqListenerContainerFactory} and {@link NsqListenerRegistry}, one per
 * channel of one topic on one real nsqd, and each handles one message; after {@value #IDLE_SECONDS} s idle
 * it reports its platform threads and its heap after GC, against the same application with no listener;
 * then it gets SIGTERM and the time to its exit is taken. Run on the JDK of the build and, when
 * {@code /usr/lib/jvm/temurin-25-jdk-amd64} (or {@code -Dbench.jdk25}) exists, on Java 25 with
 * {@code spring.threads.virtual.enabled=true}. Each application's class histogram (jcmd) is written beside
 * the JSON. Not a test: run with {@code ./mvnw -B -ntp -Pbench -pl sample-app exec:exec@listener-scale-benchmark}
 * (or the whole bench profile).
 */
public final class ListenerScaleBenchmark {

	static final int LISTENERS = 1000;

	static final int IDLE_SECONDS = 10;

	private static final String TOPIC = "scale";

	private static final String REPORT = "SCALE ";

	public static void main(String[] args) throws Exception {
		Path output = Path.of((args.length > 0) ? args[0] : "target/bench/listener-scale.json");
		Files.createDirectories(output.toAbsolutePath().getParent());
		List<Map<String, Object>> runs = new ArrayList<>();
		try (NsqServer nsqd = NsqServer.create().start()) {
			for (int i = 0; i < LISTENERS; i++) {
				nsqd.createChannel(TOPIC, channel(i));
			}
			Path jdk25 = Path.of(System.getProperty("bench.jdk25", "/usr/lib/jvm/temurin-25-jdk-amd64"));
			runs.add(compare(nsqd, Path.of(System.getProperty("java.home")), false, output));
			if (Files.isExecutable(jdk25.resolve("bin/java"))) {
				runs.add(compare(nsqd, jdk25, true, output));
			}
			else {
				System.out.println("Java 25 run skipped: no JDK at " + jdk25);
			}
		}
		Map<String, Object> document = new LinkedHashMap<>();
		document.put("listeners", LISTENERS);
		document.put("idleSeconds", IDLE_SECONDS);
		document.put("runs", runs);
		Files.writeString(output, JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build()
			.writeValueAsString(document));
		System.out.println(Files.readString(output));
		System.out.println("Written to " + output.toAbsolutePath());
	}

	/** The application without listeners, then with them, on one JDK. */
	private static Map<String, Object> compare(NsqServer nsqd, Path javaHome, boolean virtualThreads, Path output)
			throws Exception {
		Child none = Child.run(nsqd, javaHome, virtualThreads, 0, histogram(output, virtualThreads, 0));
		nsqd.publish(TOPIC, "one for each channel");
		Child all = Child.run(nsqd, javaHome, virtualThreads, LISTENERS, histogram(output, virtualThreads, LISTENERS));
		String label = "Java " + all.javaVersion + (virtualThreads ? " virtual threads" : "");
		Map<String, Object> run = new LinkedHashMap<>();
		run.put("jvm", label);
		run.put("connections", all.connections);
		run.put("threadsWithout", none.threads);
		run.put("threadsWith", all.threads);
		run.put("threadsPerListener", round((all.threads - none.threads) / (double) LISTENERS));
		run.put("threadsPerConnection", round(all.threads / (double) Math.max(1, all.connections)));
		run.put("heapKiBWithout", none.heapBytes / 1024);
		run.put("heapKiBWith", all.heapBytes / 1024);
		run.put("heapKiBPerListener", round((all.heapBytes - none.heapBytes) / 1024.0 / LISTENERS));
		run.put("sigtermExitMillisWithout", none.exitMillis);
		run.put("sigtermExitMillisWith", all.exitMillis);
		run.put("registerAndConsumeMillis", all.consumeMillis);
		System.out.printf("%s: %.2f threads and %.1f KiB heap per listener (%d threads with, %d without); "
				+ "SIGTERM exit %d ms (%d ms without)%n", label, run.get("threadsPerListener"), run.get("heapKiBPerListener"),
				all.threads, none.threads, all.exitMillis, none.exitMillis);
		return run;
	}

	private static Path histogram(Path output, boolean virtualThreads, int listeners) {
		return output.resolveSibling("listener-scale-" + (virtualThreads ? "virtual-" : "") + listeners + "-histogram.txt");
	}

	private static double round(double value) {
		return Math.round(value * 100) / 100.0;
	}

	static String channel(int i) {
		return "c" + i;
	}

	/** One application run as a child process, and what it reported. */
	private record Child(String javaVersion, int threads, long heapBytes, int connections, long consumeMillis,
			long exitMillis) {

		static Child run(NsqServer nsqd, Path javaHome, boolean virtualThreads, int listeners, Path histogram)
				throws Exception {
			List<String> command = new ArrayList<>(List.of(javaHome.resolve("bin/java").toString(), "-Xmx1g",
					"-Dspring.threads.virtual.enabled=" + virtualThreads,
					// not the sample's application.properties (its archive listener): the starter's defaults
					"-Dspring.config.name=listener-scale", "-cp", System.getProperty("java.class.path"),
					ScaleApp.class.getName(), nsqd.tcpAddress(), String.valueOf(listeners)));
			Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
			BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
			String report = null;
			for (String line = lines.readLine(); line != null; line = lines.readLine()) {
				if (line.startsWith(REPORT)) {
					report = line.substring(REPORT.length());
					break;
				}
				System.out.println("  | " + line);
			}
			if (report == null) {
				throw new IllegalStateException("The application exited with " + process.waitFor() + " before reporting");
			}
			Process jcmd = new ProcessBuilder(javaHome.resolve("bin/jcmd").toString(), String.valueOf(process.pid()),
					"GC.class_histogram").redirectOutput(histogram.toFile()).redirectErrorStream(true).start();
			jcmd.waitFor(60, TimeUnit.SECONDS);
			long signalled = System.nanoTime();
			process.destroy();
			if (!process.waitFor(60, TimeUnit.SECONDS)) {
				process.destroyForcibly();
				throw new IllegalStateException("The application did not exit within 60 s of SIGTERM");
			}
			long exitMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - signalled);
			Map<String, String> values = new LinkedHashMap<>();
			for (String pair : report.split(" ")) {
				values.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
			}
			return new Child(values.get("java"), Integer.parseInt(values.get("threads")), Long.parseLong(values.get("heap")),
					Integer.parseInt(values.get("connections")), Long.parseLong(values.get("consumeMillis")), exitMillis);
		}

	}

	/**
	 * The application: registers the listeners once started, waits until each handled its message, stays
	 * idle, reports, and runs until SIGTERM (Boot's shutdown hook closes the context, which drains).
	 */
	@EnableAutoConfiguration
	static class ScaleApp {

		public static void main(String[] args) throws Exception {
			String nsqdAddress = args[0];
			int listeners = Integer.parseInt(args[1]);
			Map<String, Object> properties = new LinkedHashMap<>();
			properties.put("nsq.nsqd-addresses", nsqdAddress);
			properties.put("spring.application.name", "scale");
			properties.put("logging.level.root", "WARN");
			properties.put("spring.main.banner-mode", "off");
			ConfigurableApplicationContext context = new SpringApplicationBuilder(ScaleApp.class)
				.web(WebApplicationType.NONE)
				.properties(properties)
				.run();
			NsqListenerContainerFactory factory = context.getBean(NsqListenerContainerFactory.class);
			NsqListenerRegistry registry = context.getBean(NsqListenerRegistry.class);
			CountDownLatch handled = new CountDownLatch(listeners);
			long start = System.nanoTime();
			for (int i = 0; i < listeners; i++) {
				String name = "scale-" + i;
				NsqListenerContainer container = factory.createContainer(registry.nextContainerId(), TOPIC, channel(i),
						(settings) -> settings.setName(name), (message) -> handled.countDown());
				registry.registerListenerContainer(container);
			}
			if (!handled.await(120, TimeUnit.SECONDS)) {
				throw new IllegalStateException(handled.getCount() + " listeners got no message within 120 s");
			}
			long consumeMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
			Thread.sleep(TimeUnit.SECONDS.toMillis(IDLE_SECONDS));
			int connections = 0;
			for (NsqMessageListenerContainer container : registry.getContainers()) {
				connections += ((NsqListenerContainer) container).getConnectionCount();
			}
			System.gc();
			System.gc();
			long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
			int threads = ManagementFactory.getThreadMXBean().getThreadCount();
			System.out.println(REPORT + "java=" + Runtime.version().feature() + " threads=" + threads + " heap=" + heap
					+ " connections=" + connections + " consumeMillis=" + consumeMillis);
			Thread.sleep(Long.MAX_VALUE);
		}

	}

}

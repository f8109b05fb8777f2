package io.github.nsqspring.sample.bench.chart;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.github.nsqspring.sample.bench.chart.Chart.Scale;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Draws the charts of {@code docs/} from the JSON a benchmark has just written; each benchmark calls its
 * chart at the end of its run, so the picture and the numbers come from the same run.
 */
public final class BenchCharts {

	/** How the benchmarks are run one by one (after {@code ./mvnw -B -ntp install -DskipTests}). */
	private static final String EXEC = "./mvnw -B -ntp -Pbench -pl sample-app exec:exec@";

	private BenchCharts() {
	}

	/**
	 * Draws the charts again from the JSON the benchmarks left in the folder given (default
	 * {@code target/bench}), for a change to a chart that needs no new run; the dates stay those of the runs.
	 */
	public static void main(String[] args) throws IOException {
		Path folder = Path.of((args.length > 0) ? args[0] : "target/bench");
		if (java.nio.file.Files.exists(folder.resolve("listener.json"))) {
			consume(folder.resolve("listener.json"));
		}
		if (java.nio.file.Files.exists(folder.resolve("cluster.json"))) {
			cluster(folder.resolve("cluster.json"));
		}
		if (java.nio.file.Files.exists(folder.resolve("latency.json"))) {
			latency(folder.resolve("latency.json"));
		}
		if (java.nio.file.Files.exists(folder.resolve("publish.json"))) {
			batchSweep(folder.resolve("publish.json"));
		}
		if (java.nio.file.Files.exists(folder.resolve("drain-timeline.json"))) {
			DrainTimelineChart.draw(folder.resolve("drain-timeline.json"));
		}
	}

	/** {@code docs/images/consume-benchmark.svg} from {@code listener.json}: listener next to raw nsq-j. */
	public static void consume(Path json) throws IOException {
		JsonNode root = read(json);
		List<String> groups = new ArrayList<>();
		List<double[]> values = new ArrayList<>();
		List<String> notes = new ArrayList<>();
		for (JsonNode each : root.path("consume")) {
			boolean observed = each.path("observationEnabled").asBoolean(false);
			groups.add("max-in-flight " + each.path("maxInFlight").asInt() + (observed ? "\nobservations on" : "\ndefaults"));
			values.add(new double[] { each.path("rawNsqj").path("rate").asDouble(), each.path("listener").path("rate").asDouble() });
			notes.add(String.format(Locale.ROOT, "ratio %.2f (own pace %.2f)", each.path("ratio").asDouble(),
					each.path("ratioWithoutTail").asDouble()));
		}
		int messages = root.path("consume").path(0).path("messages").asInt();
		Chart chart = new Chart(900, 480, "Consume: @NsqListener next to raw nsq-j",
				String.format(Locale.ROOT, "%,d pre-published 100-byte messages, 6 handler threads, no work; median msgs/s of interleaved rounds", messages),
				EXEC + "listener-benchmark", json);
		groupedBars(chart, groups, List.of("raw nsq-j Subscriber", "@NsqListener (starter)"), values, notes, "msgs/s", false);
		chart.xAxis("ratio = starter / raw nsq-j, first to last message; own pace = the same without the last 1,000");
		chart.write("consume-benchmark.svg");
	}

	/** {@code docs/images/cluster-benchmark.svg} from {@code cluster.json}: efficiency by max-in-flight and distribution. */
	public static void cluster(Path json) throws IOException {
		JsonNode root = read(json);
		List<String> series = List.of("backlog-aware", "nsq-j rotation", "all on one nsqd");
		List<String> groups = new ArrayList<>();
		List<double[]> values = new ArrayList<>();
		List<String> notes = new ArrayList<>();
		for (JsonNode each : root.path("cases")) {
			String group = "max-in-flight " + each.path("maxInFlight").asInt();
			if (!groups.contains(group)) {
				groups.add(group);
				values.add(new double[series.size()]);
				notes.add("");
			}
			int index = groups.indexOf(group);
			values.get(index)[series.indexOf(each.path("distribution").asString())] = each.path("efficiency").asDouble();
			if (each.path("distribution").asString().equals(series.get(0))) {
				notes.set(index, String.format(Locale.ROOT, "backlog-aware: %.1f s", each.path("firstToLastMillis").asDouble() / 1000));
			}
		}
		Chart chart = new Chart(900, 460, "Few RDY over many nsqd: backlog-aware RDY next to nsq-j's rotation",
				String.format(Locale.ROOT, "%d nsqd behind nsqlookupd, %d messages each, one listener, handlers of %d ms, concurrency %d",
						root.path("nsqd").asInt(), root.path("messagesPerNsqd").asInt(), root.path("handlerMillis").asInt(),
						root.path("concurrency").asInt()),
				EXEC + "cluster-benchmark", json);
		groupedBars(chart, groups, List.of("backlog-aware RDY (default)", "nsq-j rotation (backlog-aware-rdy=false)",
				"ceiling: all messages on one nsqd"), values, notes, "efficiency", false);
		chart.xAxis(String.format(Locale.ROOT, "efficiency = ideal time (%.1f s) / first handler start to last handler end",
				root.path("idealMillis").asDouble() / 1000));
		chart.write("cluster-benchmark.svg");
	}

	/** {@code docs/images/latency-benchmark.svg} from {@code latency.json}: percentiles per case. */
	public static void latency(Path json) throws IOException {
		JsonNode root = read(json);
		List<String> groups = new ArrayList<>();
		List<double[]> values = new ArrayList<>();
		List<String> notes = new ArrayList<>();
		for (JsonNode each : root.path("cases")) {
			groups.add(shortCase(each.path("case").asString()));
			values.add(new double[] { each.path("p50Millis").asDouble(), each.path("p99Millis").asDouble(),
					each.path("p999Millis").asDouble() });
			notes.add(String.format(Locale.ROOT, "p99 %.2f ms", each.path("p99Millis").asDouble()));
		}
		Chart chart = new Chart(900, 500, "Latency, publish to handler start, by output-buffer-timeout",
				String.format(Locale.ROOT, "%,d msgs/s for %d s per case, one nsqd (--min-output-buffer-timeout=1ms), handler does nothing",
						root.path("rate").asInt(), root.path("seconds").asInt()),
				EXEC + "latency-benchmark", json);
		groupedBars(chart, groups, List.of("p50", "p99", "p99.9"), values, notes, "milliseconds (log scale)", true);
		chart.xAxis("listener settings (concurrency 4, max-in-flight 50 unless named), and raw nsq-j as the baseline");
		chart.write("latency-benchmark.svg");
	}

	/** {@code docs/images/batch-sweep.svg} from {@code publish.json}: msgs/s by batch size, per body size. */
	public static void batchSweep(Path json) throws IOException {
		JsonNode root = read(json);
		Chart chart = new Chart(900, 470, "NsqTemplate batch-size sweep",
				"one thread; sendBatch waits one round trip per batch, sendBatchAsync pipelines; median msgs/s of "
						+ root.path("runsPerCase").asInt() + " runs",
				EXEC + "publish-benchmark", json);
		List<String> series = List.of("sendBatch (sync)", "sendBatchAsync");
		List<String> groups = List.of("sweep-sync", "sweep-async");
		chart.legend(series, List.of(Chart.COLOURS[0], Chart.COLOURS[1]));
		double gap = 70;
		double panelWidth = (chart.plotRight - chart.plotLeft - gap) / 2;
		int[] bodySizes = { 100, 10240 };
		for (int panel = 0; panel < bodySizes.length; panel++) {
			double left = chart.plotLeft + panel * (panelWidth + gap);
			double right = left + panelWidth;
			List<double[]> lines = new ArrayList<>();
			double max = 0;
			for (String group : groups) {
				List<Double> points = new ArrayList<>();
				for (JsonNode result : root.path("results")) {
					if (result.path("group").asString().equals(group) && result.path("bodySize").asInt() == bodySizes[panel]) {
						points.add(result.path("batchSize").asDouble());
						points.add(result.path("messagesPerSecond").asDouble());
						max = Math.max(max, result.path("messagesPerSecond").asDouble());
					}
				}
				lines.add(points.stream().mapToDouble(Double::doubleValue).toArray());
			}
			List<Double> ticks = Chart.linearTicks(max);
			Scale y = Scale.linear(0, ticks.get(ticks.size() - 1), chart.plotBottom, chart.plotTop + 30);
			Scale x = Scale.log(10, 1000, left + 10, right - 10);
			for (double tick : ticks) {
				chart.svg.line(left, y.map(tick), right, y.map(tick), Chart.GRID, 1, false);
				chart.svg.text(left - 6, y.map(tick) + 4, Chart.number(tick), "end", 11, Chart.INK, false);
			}
			chart.svg.line(left, chart.plotTop + 30, left, chart.plotBottom, Chart.INK, 1, false);
			chart.svg.line(left, chart.plotBottom, right, chart.plotBottom, Chart.INK, 1, false);
			for (int size : new int[] { 10, 50, 78, 100, 200, 500, 1000 }) {
				chart.svg.text(x.map(size), chart.plotBottom + 16, Integer.toString(size), "middle", 10, Chart.INK, false);
			}
			chart.svg.text((left + right) / 2, chart.plotBottom + 34, "batch size (messages, log scale)", "middle", 11, Chart.INK, false);
			chart.svg.text((left + right) / 2, chart.plotTop + 16, (bodySizes[panel] == 100) ? "100-byte bodies" : "10 KB bodies",
					"middle", 12, Chart.INK, true);
			for (int line = 0; line < lines.size(); line++) {
				double[] points = lines.get(line);
				double[] pixels = new double[points.length];
				for (int i = 0; i < points.length; i += 2) {
					pixels[i] = x.map(points[i]);
					pixels[i + 1] = y.map(points[i + 1]);
				}
				chart.svg.polyline(pixels, Chart.COLOURS[line], 2);
				for (int i = 0; i < points.length; i += 2) {
					chart.svg.circle(pixels[i], pixels[i + 1], 3.5, Chart.COLOURS[line], String.format(Locale.ROOT,
							"%s, batch %d: %,.0f msgs/s", series.get(line), (int) points[i], points[i + 1]));
				}
			}
		}
		chart.svg.verticalText(20, (chart.plotTop + chart.plotBottom) / 2, "msgs/s", 12, Chart.INK);
		chart.write("batch-sweep.svg");
	}

	/**
	 * Groups of bars, one colour per series, with a note above each group; on a log scale the bars start at
	 * the lowest power of ten below the smallest value.
	 */
	private static void groupedBars(Chart chart, List<String> groups, List<String> series, List<double[]> values,
			List<String> notes, String yLabel, boolean log) {
		double max = values.stream().flatMapToDouble(java.util.Arrays::stream).max().orElse(1);
		double min = values.stream().flatMapToDouble(java.util.Arrays::stream).filter((v) -> v > 0).min().orElse(1);
		List<Double> ticks = log ? Chart.logTicks(Math.pow(10, Math.floor(Math.log10(min))), Math.pow(10, Math.ceil(Math.log10(max))))
				: Chart.linearTicks(max);
		double top = ticks.get(ticks.size() - 1);
		Scale y = log ? Scale.log(ticks.get(0), top, chart.plotBottom, chart.plotTop + 14)
				: Scale.linear(0, top, chart.plotBottom, chart.plotTop + 14);
		chart.yAxis(y, ticks, yLabel);
		List<String> colours = new ArrayList<>();
		for (int i = 0; i < series.size(); i++) {
			colours.add(Chart.COLOURS[i]);
		}
		chart.legend(series, colours);
		double slot = (chart.plotRight - chart.plotLeft) / groups.size();
		double barWidth = Math.min(48, slot * 0.7 / series.size());
		for (int g = 0; g < groups.size(); g++) {
			double centre = chart.plotLeft + slot * (g + 0.5);
			double first = centre - barWidth * series.size() / 2;
			double highest = chart.plotBottom;
			for (int s = 0; s < series.size(); s++) {
				double value = values.get(g)[s];
				double yTop = y.map(value);
				highest = Math.min(highest, yTop);
				chart.svg.rect(first + s * barWidth + 1, yTop, barWidth - 2, chart.plotBottom - yTop, colours.get(s),
						groups.get(g) + ", " + series.get(s) + ": " + Chart.number(value));
				chart.svg.text(first + (s + 0.5) * barWidth, yTop - 3, Chart.number(round(value)), "middle", 9, Chart.INK, false);
			}
			chart.svg.text(centre, highest - 16, notes.get(g), "middle", 11, Chart.INK, true);
			String[] label = groups.get(g).split("\n");
			for (int line = 0; line < label.length; line++) {
				chart.svg.text(centre, chart.plotBottom + 16 + line * 13, label[line], "middle", 11, Chart.INK, false);
			}
		}
	}

	private static double round(double value) {
		return (value >= 100) ? Math.round(value) : Math.round(value * 100) / 100.0;
	}

	/** "concurrency 4, max-in-flight 50, output-buffer-timeout 5ms" becomes "output-buffer-timeout 5ms". */
	private static String shortCase(String name) {
		if (name.startsWith("defaults")) {
			return "defaults\n(max-in-flight 1)";
		}
		int timeout = name.indexOf("output-buffer-timeout");
		if (name.startsWith("raw")) {
			return "raw nsq-j\n5ms";
		}
		return (timeout >= 0) ? name.substring(timeout).replace("output-buffer-timeout ", "output-buffer-timeout\n") : name;
	}

	static JsonNode read(Path json) {
		return JsonMapper.builder().build().readTree(json.toFile());
	}

}

package io.github.nsqspring.sample.bench.chart;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.github.nsqspring.sample.bench.chart.Chart.Scale;
import tools.jackson.databind.JsonNode;

/**
 * {@code docs/images/drain-timeline.svg} from {@code drain-timeline.json}: one row per listener container,
 * its drain on nsqd's wire from the moment the context's close began: RDY 0, the unstarted messages
 * requeued (REQ), the running handlers awaited (their FIN), CLS, nsqd's CLOSE_WAIT and the socket closed.
 */
public final class DrainTimelineChart {

	private static final String REQUEUE = Chart.COLOURS[1];

	private static final String AWAIT = Chart.COLOURS[0];

	private static final String CLOSING = Chart.COLOURS[2];

	private DrainTimelineChart() {
	}

	public static void draw(Path json) throws IOException {
		JsonNode root = BenchCharts.read(json);
		List<Row> rows = new ArrayList<>();
		for (JsonNode listener : root.path("listeners")) {
			rows.add(Row.of(listener));
		}
		double closeMillis = root.path("closeMillis").asDouble();
		int height = 190 + rows.size() * 58;
		Chart chart = new Chart(960, height, "Drain on shutdown: " + rows.size() + " listener containers stopping in parallel",
				"what nsqd receives from each container after context.close() (a relay in front of nsqd timestamps every command)",
				"./mvnw -B -ntp -Pbench -pl sample-app exec:exec@drain-timeline", json);
		chart.legend(List.of("RDY 0 (mark), then unstarted messages requeued (REQ 0)", "running handlers awaited (ticks: FIN)",
				"CLS (mark), CLOSE_WAIT, socket closed"), List.of(REQUEUE, AWAIT, CLOSING));
		double end = Math.max(closeMillis, rows.stream().mapToDouble(Row::closed).max().orElse(closeMillis));
		List<Double> ticks = Chart.linearTicks(end);
		double left = 200;
		double right = chart.plotRight - 150;
		Scale x = Scale.linear(0, ticks.get(ticks.size() - 1), left, right);
		for (double tick : ticks) {
			chart.svg.line(x.map(tick), chart.plotTop + 10, x.map(tick), chart.plotBottom, Chart.GRID, 1, false);
			chart.svg.text(x.map(tick), chart.plotBottom + 16, String.format(Locale.ROOT, "%.0f", tick), "middle", 11, Chart.INK, false);
		}
		chart.svg.line(left, chart.plotBottom, right, chart.plotBottom, Chart.INK, 1, false);
		chart.svg.text((left + right) / 2, chart.plotBottom + 40, "milliseconds since context.close() began", "middle", 12, Chart.INK,
				false);
		double rowHeight = (chart.plotBottom - chart.plotTop - 20) / rows.size();
		for (int i = 0; i < rows.size(); i++) {
			Row row = rows.get(i);
			double top = chart.plotTop + 20 + i * rowHeight;
			double mid = top + rowHeight / 2;
			chart.svg.text(left - 10, mid - 2, "'" + row.name + "'", "end", 12, Chart.INK, true);
			chart.svg.text(left - 10, mid + 13, String.format(Locale.ROOT, "handler takes %.1f s", row.handlerMillis / 1000.0), "end", 10,
					Chart.MUTED, false);
			double barTop = mid - 9;
			double requeueEnd = Math.max(row.lastRequeue, row.readyZero);
			chart.svg.rect(x.map(row.readyZero), barTop, Math.max(x.map(requeueEnd) - x.map(row.readyZero), 3), 18, REQUEUE,
					String.format(Locale.ROOT, "%s: %d unstarted messages requeued, %.1f to %.1f ms", row.name, row.requeues,
							row.readyZero, requeueEnd));
			chart.svg.rect(x.map(requeueEnd) + 3, barTop, x.map(row.lastFinish) - x.map(requeueEnd) - 3, 18, AWAIT,
					String.format(Locale.ROOT, "%s: running handlers awaited, last FIN at %.1f ms", row.name, row.lastFinish));
			chart.svg.rect(x.map(row.cls), barTop, Math.max(x.map(row.closed) - x.map(row.cls), 3), 18, CLOSING,
					String.format(Locale.ROOT, "%s: CLS at %.1f ms, closed at %.1f ms", row.name, row.cls, row.closed));
			for (double finish : row.finishes) {
				chart.svg.line(x.map(finish), barTop + 18, x.map(finish), barTop + 24, AWAIT, 1.5, false);
			}
			marker(chart, x.map(row.readyZero), barTop, Chart.INK, row.name + ": RDY 0 at " + row.readyZero + " ms");
			marker(chart, x.map(row.cls), barTop, Chart.INK, row.name + ": CLS at " + row.cls + " ms, nsqd's CLOSE_WAIT at "
					+ row.closeWait + " ms");
			chart.svg.text(x.map(row.closed) + 6, mid + 4, String.format(Locale.ROOT, "closed %.0f ms: %d requeued, %d FIN",
					row.closed, row.requeues, row.finishes.size()), "start", 10, Chart.INK, false);
		}
		chart.svg.line(x.map(closeMillis), chart.plotTop + 10, x.map(closeMillis), chart.plotBottom, Chart.INK, 1, true);
		chart.svg.text(x.map(closeMillis) + 4, chart.plotBottom - 6, String.format(Locale.ROOT, "context.close() returned: %.0f ms",
				closeMillis), "start", 10, Chart.INK, false);
		chart.write("drain-timeline.svg");
	}

	private static void marker(Chart chart, double x, double barTop, String colour, String tooltip) {
		chart.svg.rect(x - 1, barTop - 4, 2.5, 26, colour, tooltip);
	}

	/** One container's drain, read from the events of its connection (milliseconds since the close began). */
	record Row(String name, long handlerMillis, double readyZero, double lastRequeue, int requeues, List<Double> finishes,
			double lastFinish, double cls, double closeWait, double closed) {

		static Row of(JsonNode listener) {
			double readyZero = Double.NaN;
			double lastRequeue = Double.NaN;
			int requeues = 0;
			List<Double> finishes = new ArrayList<>();
			double cls = Double.NaN;
			double closeWait = Double.NaN;
			double closed = Double.NaN;
			for (JsonNode event : listener.path("events")) {
				double millis = event.path("millis").asDouble();
				String what = event.path("what").asString();
				boolean client = event.path("from").asString().equals("client");
				if (client && what.equals("RDY 0") && Double.isNaN(readyZero)) {
					readyZero = millis;
				}
				else if (client && what.equals("REQ")) {
					lastRequeue = millis;
					requeues++;
				}
				else if (client && what.equals("FIN")) {
					finishes.add(millis);
				}
				else if (client && what.equals("CLS")) {
					cls = millis;
				}
				else if (!client && what.equals("CLOSE_WAIT")) {
					closeWait = millis;
				}
				else if (what.equals("closed") && Double.isNaN(closed)) {
					closed = millis;
				}
			}
			String name = listener.path("listener").asString();
			if (Double.isNaN(readyZero) || Double.isNaN(cls) || Double.isNaN(closed)) {
				throw new IllegalStateException("Listener '" + name + "': no RDY 0, CLS or close on the wire after the close began: "
						+ listener.path("events"));
			}
			double lastFinish = finishes.isEmpty() ? readyZero : finishes.get(finishes.size() - 1);
			return new Row(name, listener.path("handlerMillis").asLong(), readyZero, Double.isNaN(lastRequeue) ? readyZero : lastRequeue,
					requeues, finishes, lastFinish, cls, Double.isNaN(closeWait) ? cls : closeWait, closed);
		}

	}

}

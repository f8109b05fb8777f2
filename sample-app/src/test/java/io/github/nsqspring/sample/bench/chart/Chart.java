package io.github.nsqspring.sample.bench.chart;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The frame every benchmark chart shares: a title and subtitle at the top, a plot area with axes, and at
 * the bottom the command that measured it and the date of the run, so that a picture in {@code docs/}
 * says how to draw it again.
 */
public final class Chart {

	static final String INK = "#222222";

	static final String GRID = "#dddddd";

	static final String MUTED = "#666666";

	/** Series colours, colour-blind safe (Okabe-Ito). */
	static final String[] COLOURS = { "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00" };

	static final double LEFT = 80;

	static final double RIGHT = 30;

	static final double TOP = 70;

	static final double BOTTOM = 110;

	final Svg svg;

	final double plotLeft;

	final double plotTop;

	final double plotRight;

	final double plotBottom;

	private final String command;

	private final LocalDate runDate;

	/** The frame; {@code json} is the benchmark's output the chart is drawn from (its date is the run's). */
	Chart(int width, int height, String title, String subtitle, String command, Path json) throws java.io.IOException {
		this.svg = new Svg(width, height, title);
		this.command = command;
		this.runDate = LocalDate.ofInstant(Files.getLastModifiedTime(json).toInstant(), java.time.ZoneId.systemDefault());
		this.plotLeft = LEFT;
		this.plotTop = TOP;
		this.plotRight = width - RIGHT;
		this.plotBottom = height - BOTTOM;
		this.svg.text(width / 2.0, 26, title, "middle", 17, INK, true);
		this.svg.text(width / 2.0, 47, subtitle, "middle", 12, MUTED, false);
	}

	/** The y axis: grid lines and labels at the ticks, the axis label turned along it. */
	void yAxis(Scale scale, List<Double> ticks, String label) {
		for (double tick : ticks) {
			double y = scale.map(tick);
			this.svg.line(this.plotLeft, y, this.plotRight, y, GRID, 1, false);
			this.svg.text(this.plotLeft - 6, y + 4, number(tick), "end", 11, INK, false);
		}
		this.svg.line(this.plotLeft, this.plotTop, this.plotLeft, this.plotBottom, INK, 1, false);
		this.svg.verticalText(20, (this.plotTop + this.plotBottom) / 2, label, 12, INK);
	}

	/** The x axis line and its label below the tick labels. */
	void xAxis(String label) {
		this.svg.line(this.plotLeft, this.plotBottom, this.plotRight, this.plotBottom, INK, 1, false);
		this.svg.text((this.plotLeft + this.plotRight) / 2, this.plotBottom + 50, label, "middle", 12, INK, false);
	}

	/** A row of coloured squares with their names, above the plot area. */
	void legend(List<String> names, List<String> colours) {
		double x = this.plotLeft;
		for (int i = 0; i < names.size(); i++) {
			this.svg.rect(x, 56, 10, 10, colours.get(i), null);
			this.svg.text(x + 14, 65, names.get(i), "start", 11, INK, false);
			x += 26 + names.get(i).length() * 5.9;
		}
	}

	/** Writes the chart with the command and the date of the run at the bottom. */
	void write(String fileName) throws java.io.IOException {
		double y = this.svg.height() - 28;
		this.svg.text(this.plotLeft, y, "Measured and drawn by: " + this.command, "start", 11, MUTED, false);
		this.svg.text(this.plotLeft, y + 16, "Run on " + this.runDate + ", " + Runtime.getRuntime().availableProcessors()
				+ " cores, nsqd v1.3.0 on loopback", "start", 11, MUTED, false);
		this.svg.write(imagesDirectory().resolve(fileName));
	}

	/** {@code docs/images} of the repository this runs in (found from the working directory up). */
	static Path imagesDirectory() {
		Path directory = Path.of("").toAbsolutePath();
		while (directory != null) {
			if (Files.isRegularFile(directory.resolve("mvnw")) && Files.isDirectory(directory.resolve("docs"))) {
				return directory.resolve("docs").resolve("images");
			}
			directory = directory.getParent();
		}
		throw new IllegalStateException("No docs/ folder beside mvnw above " + Path.of("").toAbsolutePath());
	}

	static String number(double value) {
		if (value >= 1_000_000) {
			return trim(value / 1_000_000) + "M";
		}
		if (value >= 10_000) {
			return Math.round(value / 1_000) + "k";
		}
		if (value >= 1_000) {
			return trim(value / 1_000) + "k";
		}
		return trim(value);
	}

	private static String trim(double value) {
		String text = String.format(Locale.ROOT, "%.2f", value);
		return text.contains(".") ? text.replaceAll("0+$", "").replaceAll("\\.$", "") : text;
	}

	/** About five round ticks from 0 to at least {@code max}. */
	static List<Double> linearTicks(double max) {
		double raw = max / 5;
		double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
		double step = magnitude;
		for (double factor : new double[] { 1, 2, 2.5, 5, 10 }) {
			if (magnitude * factor >= raw) {
				step = magnitude * factor;
				break;
			}
		}
		List<Double> ticks = new ArrayList<>();
		for (double tick = 0; tick < max + step; tick += step) {
			ticks.add(tick);
		}
		return ticks;
	}

	/** Powers of ten from {@code min} to {@code max}. */
	static List<Double> logTicks(double min, double max) {
		List<Double> ticks = new ArrayList<>();
		for (double tick = min; tick <= max * 1.0001; tick *= 10) {
			ticks.add(tick);
		}
		return ticks;
	}

	/** Maps a value to a pixel coordinate, linearly or logarithmically. */
	record Scale(double min, double max, double from, double to, boolean log) {

		static Scale linear(double min, double max, double from, double to) {
			return new Scale(min, max, from, to, false);
		}

		static Scale log(double min, double max, double from, double to) {
			return new Scale(min, max, from, to, true);
		}

		double map(double value) {
			double position = this.log ? (Math.log10(Math.max(value, this.min)) - Math.log10(this.min))
					/ (Math.log10(this.max) - Math.log10(this.min)) : (value - this.min) / (this.max - this.min);
			return this.from + position * (this.to - this.from);
		}

	}

}

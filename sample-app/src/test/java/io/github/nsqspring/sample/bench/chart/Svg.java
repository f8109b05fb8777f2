package io.github.nsqspring.sample.bench.chart;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A small SVG writer for the benchmark charts: a fixed-size picture with a {@code <title>}, rectangles,
 * lines, circles and text. Coordinates are pixels from the top left; everything written is XML-escaped.
 */
public final class Svg {

	static final String FONT = "font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\"";

	private final int width;

	private final int height;

	private final String title;

	private final StringBuilder body = new StringBuilder();

	public Svg(int width, int height, String title) {
		this.width = width;
		this.height = height;
		this.title = title;
	}

	public int width() {
		return this.width;
	}

	public int height() {
		return this.height;
	}

	/** A filled rectangle with an optional tooltip ({@code null} for none). */
	public Svg rect(double x, double y, double w, double h, String fill, String tooltip) {
		this.body.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"",
				x, y, Math.max(w, 0), Math.max(h, 0), fill));
		return closeWithTooltip("rect", tooltip);
	}

	public Svg line(double x1, double y1, double x2, double y2, String stroke, double strokeWidth, boolean dashed) {
		this.body.append(String.format(Locale.ROOT,
				"<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"%.1f\"%s/>%n", x1, y1, x2,
				y2, stroke, strokeWidth, dashed ? " stroke-dasharray=\"4 3\"" : ""));
		return this;
	}

	/** A line through the points, given as x1, y1, x2, y2, ... */
	public Svg polyline(double[] points, String stroke, double strokeWidth) {
		StringBuilder coordinates = new StringBuilder();
		for (int i = 0; i < points.length; i += 2) {
			coordinates.append(String.format(Locale.ROOT, "%s%.1f,%.1f", (i == 0) ? "" : " ", points[i], points[i + 1]));
		}
		this.body.append(String.format(Locale.ROOT, "<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"%.1f\"/>%n",
				coordinates, stroke, strokeWidth));
		return this;
	}

	public Svg circle(double cx, double cy, double r, String fill, String tooltip) {
		this.body.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\" fill=\"%s\"", cx, cy, r, fill));
		return closeWithTooltip("circle", tooltip);
	}

	/** Text; anchor is {@code start}, {@code middle} or {@code end}. */
	public Svg text(double x, double y, String text, String anchor, double size, String fill, boolean bold) {
		this.body.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" font-size=\"%.1f\" fill=\"%s\"%s>%s</text>%n",
				x, y, anchor, size, fill, bold ? " font-weight=\"bold\"" : "", escape(text)));
		return this;
	}

	/** Text turned 90 degrees counter-clockwise around its anchor point (a y-axis label). */
	public Svg verticalText(double x, double y, String text, double size, String fill) {
		this.body.append(String.format(Locale.ROOT,
				"<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" font-size=\"%.1f\" fill=\"%s\" transform=\"rotate(-90 %.1f %.1f)\">%s</text>%n",
				x, y, size, fill, x, y, escape(text)));
		return this;
	}

	public String toXml() {
		return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
				+ String.format(Locale.ROOT,
						"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" %s>%n",
						this.width, this.height, this.width, this.height, FONT)
				+ "<title>" + escape(this.title) + "</title>\n"
				+ String.format(Locale.ROOT, "<rect x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>%n", this.width,
						this.height)
				+ this.body + "</svg>\n";
	}

	public void write(Path file) throws IOException {
		Files.createDirectories(file.toAbsolutePath().getParent());
		Files.writeString(file, toXml(), StandardCharsets.UTF_8);
		System.out.println("Drawn " + file.toAbsolutePath());
	}

	private Svg closeWithTooltip(String element, String tooltip) {
		if (tooltip == null) {
			this.body.append("/>\n");
		}
		else {
			this.body.append("><title>").append(escape(tooltip)).append("</title></").append(element).append(">\n");
		}
		return this;
	}

	static String escape(String text) {
		return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
	}

}

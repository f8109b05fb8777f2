package io.github.nsqspring.core;

import java.util.Locale;

import org.springframework.util.ClassUtils;

/** Compression of an nsqd TCP connection, negotiated with IDENTIFY. */
public enum NsqCompression {

	/** No compression. */
	NONE,

	/** Snappy framing; needs {@code org.xerial.snappy:snappy-java} on the class path. */
	SNAPPY,

	/** Deflate (java.util.zip) at a level nsqd caps with {@code --max-deflate-level}. */
	DEFLATE;

	private static final String SNAPPY_CLASS = "org.xerial.snappy.SnappyFramedOutputStream";

	/** The compression named {@code none}, {@code snappy} or {@code deflate} (any case). */
	public static NsqCompression parse(String name) {
		for (NsqCompression compression : values()) {
			if (compression.name().equalsIgnoreCase(name.trim())) {
				return compression;
			}
		}
		throw new IllegalArgumentException("must be none, snappy or deflate, not '" + name + "'");
	}

	/** Returns this compression when the libraries it needs are on the class path. */
	public NsqCompression requireAvailable() {
		if (this == SNAPPY && !ClassUtils.isPresent(SNAPPY_CLASS, null)) {
			throw new IllegalStateException("snappy needs org.xerial.snappy:snappy-java on the class path; add it as a "
					+ "dependency or choose deflate");
		}
		return this;
	}

	@Override
	public String toString() {
		return name().toLowerCase(Locale.ROOT);
	}

}

package io.github.nsqspring.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The version of nsq-spring-boot, from a resource Maven writes at build time, and the user agent it gives nsqd. */
public final class NsqVersion {

	private static final String VERSION = load();

	private NsqVersion() {
	}

	private static String load() {
		try (InputStream in = NsqVersion.class.getResourceAsStream("/io/github/nsqspring/nsq-spring-boot.properties")) {
			if (in == null) {
				return "unknown";
			}
			Properties properties = new Properties();
			properties.load(in);
			return properties.getProperty("version", "unknown");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** The version, such as {@code 0.1.0}; {@code unknown} when the build resource is missing. */
	public static String version() {
		return VERSION;
	}

	/** The user agent sent with IDENTIFY: {@code nsq-spring-boot/<version>}. */
	public static String userAgent() {
		return "nsq-spring-boot/" + VERSION;
	}

}

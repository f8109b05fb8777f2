package io.github.nsqspring.core;

import org.jspecify.annotations.Nullable;

/**
 * An address of nsqd or nsqlookupd, parsed from {@code host:port}: the one parser of addresses for the
 * properties, the producer and the consumers.
 */
public record NsqAddress(String host, int port) {

	/** Parses {@code host:port} (an IPv6 host in brackets), with a port from 1 to 65535. */
	public static NsqAddress parse(@Nullable String address) {
		if (address != null && address.contains("://")) {
			throw new IllegalArgumentException("nsqd address '" + address + "' is not host:port (no scheme)");
		}
		return parse(address, address, "nsqd address");
	}

	private static NsqAddress parse(@Nullable String hostAndPort, @Nullable String given, String kind) {
		int colon = (hostAndPort != null) ? hostAndPort.lastIndexOf(':') : -1;
		if (hostAndPort == null || colon < 1 || colon == hostAndPort.length() - 1) {
			throw new IllegalArgumentException(kind + " '" + given + "' is not host:port");
		}
		try {
			int port = Integer.parseInt(hostAndPort.substring(colon + 1).trim());
			if (port < 1 || port > 65535) {
				throw new IllegalArgumentException(kind + " '" + given + "' has no valid port");
			}
			String host = hostAndPort.substring(0, colon).trim();
			if (host.contains(":") && !host.startsWith("[")) {
				throw new IllegalArgumentException(kind + " '" + given + "' has an IPv6 host without brackets: write it as ["
						+ host + "]:" + port);
			}
			return new NsqAddress(host, port);
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException(kind + " '" + given + "' has no valid port", ex);
		}
	}

	/**
	 * Parses the address of an HTTP server (nsqlookupd, nsqd's HTTP port): {@code host:port} or
	 * {@code http://host:port}. {@code https://} is refused: nsqlookupd serves plain HTTP only.
	 */
	public static NsqAddress parseHttp(@Nullable String address) {
		String value = (address != null) ? address.trim() : null;
		int scheme = (value != null) ? value.indexOf("://") : -1;
		if (value != null && scheme >= 0) {
			String name = value.substring(0, scheme);
			if (name.equalsIgnoreCase("https")) {
				throw new IllegalArgumentException("address '" + address
						+ "' uses https, but nsqlookupd serves plain HTTP only (it has no TLS): use host:port");
			}
			if (!name.equalsIgnoreCase("http")) {
				throw new IllegalArgumentException("address '" + address + "' has the scheme '" + name
						+ "'; use host:port or http://host:port");
			}
			value = value.substring(scheme + 3);
			value = value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
		}
		return parse(value, address, "HTTP address");
	}

	@Override
	public String toString() {
		return this.host + ":" + this.port;
	}

}

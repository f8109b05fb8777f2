package io.github.nsqspring.core;

import org.jspecify.annotations.Nullable;

/**
 * An address of nsqd or nsqlookupd, parsed from {@code host:port}: the one parser of addresses for the
 * properties, the producer and the consumers.
 */
public record NsqAddress(String host, int port) {

	/**
	 * Parses {@code host:port}, with a port from 1 to 65535. An IPv6 host may be in brackets ({@code [::1]:4150})
	 * or not ({@code ::1:4150}); it is kept as given.
	 */
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
			return new NsqAddress(host(hostAndPort.substring(0, colon).trim(), given, kind), port);
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException(kind + " '" + given + "' has no valid port", ex);
		}
	}

	/** The host, refused when it ends in a single colon: an IPv6 address without a port ({@code fe80::1}). */
	private static String host(String host, @Nullable String given, String kind) {
		if (host.contains(":") && !host.startsWith("[") && host.endsWith(":") && !host.endsWith("::")) {
			throw new IllegalArgumentException(kind + " '" + given
					+ "' looks like an IPv6 address without a port: write it as [address]:port");
		}
		return host;
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

	/** {@code host:port}, an IPv6 host in brackets ({@code [::1]:4150}), as URLs and nsq-j take it. */
	@Override
	public String toString() {
		boolean bareIpv6 = this.host.contains(":") && !this.host.startsWith("[");
		return (bareIpv6 ? "[" + this.host + "]" : this.host) + ":" + this.port;
	}

}

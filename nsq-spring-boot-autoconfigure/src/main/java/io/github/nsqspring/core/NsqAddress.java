package io.github.nsqspring.core;

/**
 * An address of nsqd or nsqlookupd, parsed from {@code host:port}: the one parser of addresses for the
 * properties, the producer and the consumers.
 */
public record NsqAddress(String host, int port) {

	/** Parses {@code host:port} (an IPv6 host in brackets), with a port from 1 to 65535. */
	public static NsqAddress parse(String address) {
		int colon = (address != null) ? address.lastIndexOf(':') : -1;
		if (colon < 1 || colon == address.length() - 1) {
			throw new IllegalArgumentException("nsqd address '" + address + "' is not host:port");
		}
		try {
			int port = Integer.parseInt(address.substring(colon + 1).trim());
			if (port < 1 || port > 65535) {
				throw new IllegalArgumentException("nsqd address '" + address + "' has no valid port");
			}
			return new NsqAddress(address.substring(0, colon).trim(), port);
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException("nsqd address '" + address + "' has no valid port", ex);
		}
	}

	@Override
	public String toString() {
		return this.host + ":" + this.port;
	}

}

package io.github.nsqspring.autoconfigure;

import java.util.List;

import io.github.nsqspring.core.NsqAddress;

import org.springframework.boot.autoconfigure.service.connection.ConnectionDetails;

/**
 * Where NSQ runs: the one source of addresses for the template, the listener containers (and so the
 * archive), the delayed-message poller (through the template) and the health check. The
 * auto-configuration provides one from {@code nsq.*} unless the application (or a test or platform
 * integration) defines its own bean.
 */
public interface NsqConnectionDetails extends ConnectionDetails {

	/**
	 * TCP addresses ({@code host:port}) of nsqd: the template publishes to the first and fails over to the
	 * others; listeners connect to all of them when there is no lookupd address. Not empty while the
	 * application publishes with the auto-configured template.
	 */
	List<String> getNsqdAddresses();

	/**
	 * HTTP addresses ({@code host:port}, or {@code https://host:port}) of the same nsqd, in the same
	 * order, for the health check; by default each TCP address with the port plus one (nsqd's default
	 * layout: 4150 for TCP, 4151 for HTTP).
	 */
	default List<String> getNsqdHttpAddresses() {
		return getNsqdAddresses().stream().map(NsqConnectionDetails::httpAddressOf).toList();
	}

	/**
	 * HTTP addresses ({@code host:port} or {@code http://host:port}) of nsqlookupd; when not empty,
	 * listeners discover the nsqd of their topic through them. None by default.
	 */
	default List<String> getLookupdAddresses() {
		return List.of();
	}

	private static String httpAddressOf(String tcpAddress) {
		NsqAddress tcp = NsqAddress.parse(tcpAddress);
		return new NsqAddress(tcp.host(), tcp.port() + 1).toString();
	}

}

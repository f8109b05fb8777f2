package io.github.nsqspring.actuate;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

import io.github.nsqspring.core.NsqAddress;
import io.github.nsqspring.core.NsqdStatsReader;
import io.github.nsqspring.listener.ContainerProperties;
import io.github.nsqspring.listener.NsqMessageListenerContainer;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The HTTP addresses of the nsqd each listener consumes from. A listener with direct connections: its
 * configured nsqd, each by the HTTP address configured beside its TCP address (else the TCP port plus one,
 * nsqd's default layout). A listener that discovers nsqd through nsqlookupd: the nsqd it has an open
 * connection to, each by the {@code http_port} that nsqlookupd's {@code /nodes} lists for it; the
 * nsqlookupd are asked (once per {@link #resolve}) only when a connection goes to an nsqd not known yet.
 */
final class NsqdHttpAddresses {

	private static final Log logger = LogFactory.getLog(NsqdHttpAddresses.class);

	private final Map<String, String> configured;

	private final NsqdStatsReader reader;

	private final Map<String, String> discovered = new HashMap<>();

	/**
	 * @param nsqdAddresses the configured nsqd TCP addresses
	 * @param nsqdHttpAddresses their HTTP addresses, in the same order
	 * @param reader asks nsqlookupd for its nodes
	 */
	NsqdHttpAddresses(List<String> nsqdAddresses, List<String> nsqdHttpAddresses, NsqdStatsReader reader) {
		Map<String, String> configured = new HashMap<>();
		for (int i = 0; i < nsqdAddresses.size() && i < nsqdHttpAddresses.size(); i++) {
			configured.put(NsqAddress.parse(nsqdAddresses.get(i)).toString(), nsqdHttpAddresses.get(i));
		}
		this.configured = configured;
		this.reader = reader;
	}

	/** The HTTP addresses of each container's nsqd, by container id; empty for one through nsqlookupd without a connection. */
	Map<Long, Set<String>> resolve(Collection<NsqMessageListenerContainer> containers) {
		Map<NsqMessageListenerContainer, Set<String>> connected = new LinkedHashMap<>();
		Set<String> lookupdToAsk = new LinkedHashSet<>();
		for (NsqMessageListenerContainer container : containers) {
			ContainerProperties properties = container.getContainerProperties();
			if (properties.usesLookupd()) {
				Set<String> tcp = container.getConnectedNsqdAddresses();
				connected.put(container, tcp);
				if (!this.discovered.keySet().containsAll(tcp)) {
					lookupdToAsk.addAll(properties.getLookupdAddresses());
				}
			}
		}
		if (!lookupdToAsk.isEmpty()) {
			askNodes(lookupdToAsk);
		}
		Map<Long, Set<String>> resolved = new HashMap<>();
		for (NsqMessageListenerContainer container : containers) {
			Set<String> tcp = connected.get(container);
			resolved.put(container.getId(), (tcp != null) ? discovered(tcp) : configured(container.getContainerProperties()));
		}
		return resolved;
	}

	private Set<String> configured(ContainerProperties properties) {
		Set<String> http = new TreeSet<>();
		for (String tcp : properties.getNsqdAddresses()) {
			String address = this.configured.get(tcp);
			if (address == null) {
				NsqAddress parsed = NsqAddress.parse(tcp);
				address = new NsqAddress(parsed.host(), parsed.port() + 1).toString();
			}
			http.add(address);
		}
		return http;
	}

	private Set<String> discovered(Set<String> tcpAddresses) {
		Set<String> http = new TreeSet<>();
		for (String tcp : tcpAddresses) {
			String address = this.discovered.get(tcp);
			if (address != null) {
				http.add(address);
			}
			else {
				logger.debug("nsqd " + tcp + " is not among the nodes of nsqlookupd: its channel backlog is not read");
			}
		}
		return http;
	}

	private void askNodes(Collection<String> lookupdAddresses) {
		Map<String, CompletableFuture<String>> answers = new LinkedHashMap<>();
		lookupdAddresses.forEach((lookupd) -> answers.put(lookupd, this.reader.get(lookupd, "/nodes")));
		answers.forEach((lookupd, answer) -> {
			try {
				this.discovered.putAll(LookupdNodes.parse(answer.join()).httpAddressesByTcpAddress());
			}
			catch (RuntimeException ex) {
				logger.debug("nsqlookupd " + lookupd + " did not list its nodes", ex);
			}
		});
	}

}

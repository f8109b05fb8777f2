package io.github.nsqspring.autoconfigure;

import java.util.List;

/** {@link NsqConnectionDetails} from {@code nsq.nsqd-addresses}, {@code nsq.nsqd-http-addresses} and {@code nsq.lookupd-addresses}. */
class PropertiesNsqConnectionDetails implements NsqConnectionDetails {

	private final NsqProperties properties;

	PropertiesNsqConnectionDetails(NsqProperties properties) {
		this.properties = properties;
	}

	@Override
	public List<String> getNsqdAddresses() {
		return this.properties.getNsqdAddresses();
	}

	@Override
	public List<String> getNsqdHttpAddresses() {
		List<String> configured = this.properties.getNsqdHttpAddresses();
		return configured.isEmpty() ? NsqConnectionDetails.super.getNsqdHttpAddresses() : configured;
	}

	@Override
	public List<String> getLookupdAddresses() {
		return this.properties.getLookupdAddresses();
	}

}

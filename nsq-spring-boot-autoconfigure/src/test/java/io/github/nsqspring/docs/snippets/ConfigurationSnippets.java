package io.github.nsqspring.docs.snippets;

import java.util.List;

import io.github.nsqspring.autoconfigure.NsqConnectionDetails;

import org.springframework.context.annotation.Bean;

/** docs/configuration.md. */
final class ConfigurationSnippets {

	private ConfigurationSnippets() {
	}

	static class Details {

		// tag::connection-details[]
		@Bean
		NsqConnectionDetails nsqConnectionDetails() {
			return new NsqConnectionDetails() {
				public List<String> getNsqdAddresses() { return List.of("10.0.0.5:4150"); }
				public List<String> getLookupdAddresses() { return List.of("10.0.0.9:4161"); }
			};
		}
		// end::connection-details[]

	}

}

package io.github.nsqspring.docs.snippets;

import java.nio.charset.StandardCharsets;

import io.github.nsqspring.listener.NsqListenerContainer;
import io.github.nsqspring.listener.NsqListenerContainerFactory;
import io.github.nsqspring.listener.NsqListenerRegistry;

/** docs/listener-scale.md. */
final class ListenerScaleSnippets {

	private ListenerScaleSnippets() {
	}

	static void registerAtRuntime(NsqListenerContainerFactory factory, NsqListenerRegistry registry) {
		// tag::register-at-runtime[]
		for (String tenant : java.util.List.of("acme", "globex", "initech")) {
			NsqListenerContainer container = factory.createContainer(registry.nextContainerId(), "orders", tenant,
					(settings) -> settings.setName("orders-" + tenant),
					(message) -> System.out.println(tenant + ": " + new String(message.body(), StandardCharsets.UTF_8)));
			registry.registerListenerContainer(container);   // starts at once when the registry runs
		}
		// end::register-at-runtime[]
	}

}

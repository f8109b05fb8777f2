package io.github.nsqspring.docs.snippets;

import io.github.nsqspring.listener.DrainReport;
import io.github.nsqspring.listener.NsqMessageListenerContainer;
import io.github.nsqspring.listener.NsqListenerRegistry;

/** docs/drain.md. */
final class DrainSnippets {

	private DrainSnippets() {
	}

	static void drainOne(NsqListenerRegistry registry) {
		// tag::drain[]
		NsqMessageListenerContainer billing = registry.getContainer("billing").orElseThrow();   // the listener's id
		billing.stop();                                  // drains as on shutdown, returns when stopped
		DrainReport drain = billing.getLastDrain();      // handlers awaited, messages requeued, duration
		System.out.println(drain);
		billing.start();
		// end::drain[]
	}

}

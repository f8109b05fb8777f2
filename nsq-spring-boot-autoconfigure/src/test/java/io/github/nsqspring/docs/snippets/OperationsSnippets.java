package io.github.nsqspring.docs.snippets;

import io.github.nsqspring.annotation.NsqListener;
import io.github.nsqspring.listener.event.NsqListenerContainerConnectionLostEvent;
import io.github.nsqspring.listener.event.NsqListenerContainerConnectionRestoredEvent;
import io.github.nsqspring.listener.event.NsqListenerContainerIdleEvent;
import io.github.nsqspring.listener.event.NsqListenerContainerStoppedEvent;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** docs/operations.md. */
final class OperationsSnippets {

	private OperationsSnippets() {
	}

	// tag::backlog-listener[]
	@Component
	class Billing {

		@NsqListener(id = "billing-orders", topic = "orders")
		void onOrder(Order order) {
			System.out.println("billing " + order.id());
		}

	}
	// end::backlog-listener[]

	// tag::container-events[]
	@Component
	class ListenerAlerts {

		@EventListener
		void idle(NsqListenerContainerIdleEvent event) {           // nsq.consumer.idle-event-interval=5m
			System.out.println(event.getListenerId() + " received nothing for " + event.getIdleTime());
		}

		@EventListener
		void lost(NsqListenerContainerConnectionLostEvent event) {  // one reconnect attempt failed
			System.out.println("nsqd " + event.getNsqdAddress() + " gone for " + event.getDowntime());
			event.getContainer().pause();                           // allowed: no deadlock
		}

		@EventListener
		void restored(NsqListenerContainerConnectionRestoredEvent event) {
			event.getContainer().resume();
		}

		@EventListener
		void stopped(NsqListenerContainerStoppedEvent event) {
			System.out.println(event.getDrainReport());              // what the drain did
		}

	}
	// end::container-events[]

}

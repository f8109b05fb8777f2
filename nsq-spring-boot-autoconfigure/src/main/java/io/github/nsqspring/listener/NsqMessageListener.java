package io.github.nsqspring.listener;

import io.github.nsqspring.core.NsqMessage;

/**
 * Handles one message for a listener container. Returning normally means success; throwing means the
 * attempt failed (the container requeues with backoff, or dead-letters once attempts are exhausted).
 */
@FunctionalInterface
public interface NsqMessageListener {

	void onMessage(NsqMessage message) throws Exception;

}

package io.github.nsqspring.listener;

import java.util.List;

/**
 * Where a dispatcher puts what nsq-j delivers until a handler takes it: one message at a time
 * ({@link HandlerWorkers}) or in batches ({@link BatchIntake}).
 * @param <T> what is put in
 */
interface MessageIntake<T> {

	/** Takes a delivered item; a handler in one of the {@link #slots()} handles it when one is free. */
	void handle(T item);

	/** Removes and returns every item not yet started by a handler. */
	List<T> takeQueued();

	/** Items not yet started by a handler. */
	int queuedCount();

	/** The slots of the handlers, occupied or not. */
	List<? extends HandlerSlot> slots();

	/** Starts no handler from now on. */
	void close();

}

package com.sproutsocial.nsq;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import org.jspecify.annotations.NullMarked;

/**
 * A delivered message whose first FIN or REQ goes through the {@link ReadyDistributor}, which sends it
 * together with an RDY 0 its connection owes and then counts the message done.
 */
@NullMarked
final class CountedMessage implements Message {

	private final Message message;

	private final Consumer<Runnable> end;

	private final AtomicBoolean counted = new AtomicBoolean();

	/**
	 * @param end runs the FIN or REQ it is given as the end of the message in flight
	 */
	CountedMessage(Message message, Consumer<Runnable> end) {
		this.message = message;
		this.end = end;
	}

	@Override
	public String getTopic() {
		return this.message.getTopic();
	}

	@Override
	public byte[] getData() {
		return this.message.getData();
	}

	@Override
	public String getId() {
		return this.message.getId();
	}

	@Override
	public int getAttempts() {
		return this.message.getAttempts();
	}

	@Override
	public long getTimestamp() {
		return this.message.getTimestamp();
	}

	@Override
	public void finish() {
		end(this.message::finish);
	}

	@Override
	public void requeue() {
		end(this.message::requeue);
	}

	@Override
	public void requeue(int delayMillis) {
		end(() -> this.message.requeue(delayMillis));
	}

	@Override
	public void touch() {
		this.message.touch();
	}

	/** Ends the message in flight without a FIN or REQ: nsqd will time it out. */
	void abandon() {
		end(() -> {
		});
	}

	private void end(Runnable command) {
		if (this.counted.compareAndSet(false, true)) {
			this.end.accept(command);
		}
		else {
			command.run();
		}
	}

}

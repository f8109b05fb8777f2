package com.sproutsocial.nsq;

import java.util.concurrent.atomic.AtomicBoolean;

import org.jspecify.annotations.NullMarked;

/**
 * A delivered message that tells the {@link ReadyDistributor} once when it is about to be done, still in
 * flight, so that an RDY 0 for its connection reaches nsqd before its FIN or REQ (after which nsqd sends
 * that connection nothing more), and once done, so that the RDY moved away goes to the next connection.
 */
@NullMarked
final class CountedMessage implements Message {

	private final Message message;

	private final Runnable ending;

	private final Runnable done;

	private final AtomicBoolean counted = new AtomicBoolean();

	CountedMessage(Message message, Runnable ending, Runnable done) {
		this.message = message;
		this.ending = ending;
		this.done = done;
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
		boolean first = this.counted.compareAndSet(false, true);
		if (first) {
			this.ending.run();
		}
		this.message.finish();
		if (first) {
			this.done.run();
		}
	}

	@Override
	public void requeue() {
		boolean first = this.counted.compareAndSet(false, true);
		if (first) {
			this.ending.run();
		}
		this.message.requeue();
		if (first) {
			this.done.run();
		}
	}

	@Override
	public void requeue(int delayMillis) {
		boolean first = this.counted.compareAndSet(false, true);
		if (first) {
			this.ending.run();
		}
		this.message.requeue(delayMillis);
		if (first) {
			this.done.run();
		}
	}

	@Override
	public void touch() {
		this.message.touch();
	}

}

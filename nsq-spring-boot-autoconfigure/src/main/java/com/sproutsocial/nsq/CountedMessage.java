package com.sproutsocial.nsq;

import java.util.Collection;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.function.Supplier;

import org.jspecify.annotations.NullMarked;

/**
 * A delivered message whose first FIN or REQ goes through the {@link ReadyDistributor}, which sends it
 * together with an RDY 0 its connection owes and then counts the message done.
 */
@NullMarked
final class CountedMessage implements Message {

	private static final AtomicIntegerFieldUpdater<CountedMessage> COUNTED = AtomicIntegerFieldUpdater
		.newUpdater(CountedMessage.class, "counted");

	private final Message message;

	private final ReadyDistributor distributor;

	private final ReadyDistributor.Lane lane;

	private final Supplier<Collection<SubConnection>> subscribed;

	/** 1 once the message was counted done; a field, not an {@code AtomicBoolean}: one object less per message. */
	private volatile int counted;

	/**
	 * @param lane the connection the message came from
	 * @param subscribed the container's subscribed connections, for a distribution the end of the message allows
	 */
	CountedMessage(Message message, ReadyDistributor distributor, ReadyDistributor.Lane lane,
			Supplier<Collection<SubConnection>> subscribed) {
		this.message = message;
		this.distributor = distributor;
		this.lane = lane;
		this.subscribed = subscribed;
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
		if (COUNTED.compareAndSet(this, 0, 1)) {
			this.distributor.end(this.lane, command, this.subscribed);
		}
		else {
			command.run();
		}
	}

}

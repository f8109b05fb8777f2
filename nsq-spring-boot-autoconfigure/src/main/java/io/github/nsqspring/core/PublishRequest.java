package io.github.nsqspring.core;

import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;

/** A command on its way to nsqd, the future its sender waits on, and the time by which nsqd must answer. */
final class PublishRequest {

	private final NsqCommand command;

	private final long deadlineNanos;

	private final CompletableFuture<Void> result = new CompletableFuture<>();

	private volatile @Nullable NsqAddress address;

	PublishRequest(NsqCommand command, long deadlineNanos) {
		this.command = command;
		this.deadlineNanos = deadlineNanos;
	}

	/** A NOP answering a heartbeat: nsqd does not reply to it, so it has no deadline. */
	static PublishRequest heartbeatReply() {
		return new PublishRequest(NsqCommand.NOP, 0);
	}

	NsqCommand command() {
		return this.command;
	}

	String topic() {
		return this.command.topic();
	}

	long deadlineNanos() {
		return this.deadlineNanos;
	}

	CompletableFuture<Void> result() {
		return this.result;
	}

	/** The nsqd the request was queued for; {@code null} until it has a connection. */
	@Nullable NsqAddress address() {
		return this.address;
	}

	void assignTo(NsqAddress address) {
		this.address = address;
	}

	boolean isOverdue(long nowNanos) {
		return this.command.expectsResponse() && nowNanos - this.deadlineNanos > 0;
	}

}

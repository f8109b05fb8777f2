package io.github.nsqspring.core;

import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;

/** A command on its way to nsqd, the future its sender waits on, and the time by which nsqd must answer. */
final class PublishRequest {

	private final NsqCommand command;

	private final long deadlineNanos;

	private final CompletableFuture<Void> result = new CompletableFuture<>();

	private volatile CompletableFuture<Void> settled = this.result;

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

	/** The future the connection completes when nsqd answers, or fails when the request fails. */
	CompletableFuture<Void> result() {
		return this.result;
	}

	/** Runs the action once the {@link #result()} is complete, before {@link #settled()} completes. */
	void whenDone(Runnable action) {
		CompletableFuture<Void> done = new CompletableFuture<>();
		// completed by hand, not through whenComplete's stage, so that a failure stays the exception itself
		this.settled.whenComplete((ignored, failure) -> {
			action.run();
			if (failure != null) {
				done.completeExceptionally(failure);
			}
			else {
				done.complete(null);
			}
		});
		this.settled = done;
	}

	/** Completes as the {@link #result()}, after the actions given to {@link #whenDone}: what the sender sees. */
	CompletableFuture<Void> settled() {
		return this.settled;
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

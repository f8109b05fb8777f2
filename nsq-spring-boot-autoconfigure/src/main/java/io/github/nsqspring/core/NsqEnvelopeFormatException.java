package io.github.nsqspring.core;

/**
 * A body starts with the NSQE v1 magic and version but its headers are broken. A listener container
 * dead-letters such a message at once: redelivering it cannot repair it.
 */
public class NsqEnvelopeFormatException extends IllegalArgumentException {

	private final int offset;

	public NsqEnvelopeFormatException(int offset, String problem) {
		super("Malformed NSQE envelope at byte offset " + offset + ": " + problem);
		this.offset = offset;
	}

	/** Where in the body the structure breaks. */
	public int getOffset() {
		return this.offset;
	}

}

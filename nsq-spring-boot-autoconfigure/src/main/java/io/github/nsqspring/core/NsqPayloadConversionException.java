package io.github.nsqspring.core;

/**
 * The body of a delivered message cannot be converted to the listener's payload type. Retrying cannot
 * fix that, so a listener container dead-letters such a message at once; a
 * {@link NsqMessageConversionException} thrown by the handler's own code counts as an ordinary failure.
 */
public class NsqPayloadConversionException extends NsqMessageConversionException {

	public NsqPayloadConversionException(String message, Throwable cause) {
		super(message, cause);
	}

}

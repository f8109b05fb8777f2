package io.github.nsqspring.core;

import org.jspecify.annotations.Nullable;

/**
 * The body of a delivered message cannot be converted to the listener's payload type. Retrying cannot
 * fix that, so a listener container dead-letters such a message at once; a
 * {@link NsqMessageConversionException} thrown by the handler's own code counts as an ordinary failure.
 */
public class NsqPayloadConversionException extends NsqMessageConversionException {

	public NsqPayloadConversionException(@Nullable String message, @Nullable Throwable cause) {
		super(message, cause);
	}

}

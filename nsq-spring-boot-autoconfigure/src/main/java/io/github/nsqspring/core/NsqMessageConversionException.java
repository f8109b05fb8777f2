package io.github.nsqspring.core;

import org.jspecify.annotations.Nullable;

/** A payload could not be converted to a message body, or a body to the requested type. */
public class NsqMessageConversionException extends RuntimeException {

	public NsqMessageConversionException(@Nullable String message, @Nullable Throwable cause) {
		super(message, cause);
	}

}

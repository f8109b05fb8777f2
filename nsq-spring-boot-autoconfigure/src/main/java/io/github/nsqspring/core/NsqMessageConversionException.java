package io.github.nsqspring.core;

/** A payload could not be converted to a message body, or a body to the requested type. */
public class NsqMessageConversionException extends RuntimeException {

	public NsqMessageConversionException(String message, Throwable cause) {
		super(message, cause);
	}

}

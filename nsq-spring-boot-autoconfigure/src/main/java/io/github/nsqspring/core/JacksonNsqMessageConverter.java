package io.github.nsqspring.core;

import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.util.Collection;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.annotation.JsonDeserialize;
import tools.jackson.databind.json.JsonMapper;

/**
 * The default {@link NsqMessageConverter}: {@code byte[]} as is, {@code String} as UTF-8, anything else
 * as JSON through a Jackson 3 {@link JsonMapper} (the application's when it has one).
 */
public class JacksonNsqMessageConverter extends SimpleNsqMessageConverter {

	private final JsonMapper jsonMapper;

	public JacksonNsqMessageConverter(JsonMapper jsonMapper) {
		this.jsonMapper = jsonMapper;
	}

	@Override
	protected byte[] writeOther(Object payload) {
		try {
			return this.jsonMapper.writeValueAsBytes(payload);
		}
		catch (JacksonException ex) {
			throw new NsqMessageConversionException(
					"Cannot write " + ((payload != null) ? payload.getClass().getName() : "null") + " as JSON: " + ex.getOriginalMessage(), ex);
		}
	}

	@Override
	protected String otherContentType() {
		return "application/json";
	}

	@Override
	protected @Nullable Object readOther(byte[] body, Type targetType) {
		try {
			return this.jsonMapper.readValue(body, this.jsonMapper.constructType(targetType));
		}
		catch (JacksonException ex) {
			throw new NsqMessageConversionException("Cannot read the message body as " + targetType.getTypeName() + ": "
					+ ex.getOriginalMessage(), ex);
		}
	}

	/**
	 * Jackson reads concrete classes, collections, maps, arrays and enums; an interface or abstract class
	 * needs Jackson type information ({@code @JsonTypeInfo} or {@code @JsonDeserialize}).
	 */
	@Override
	public boolean canRead(Type targetType) {
		Class<?> type = this.jsonMapper.constructType(targetType).getRawClass();
		if (type.isPrimitive() || type.isArray() || type.isEnum() || Collection.class.isAssignableFrom(type)
				|| Map.class.isAssignableFrom(type) || type == Object.class) {
			return true;
		}
		boolean abstractType = type.isInterface() || Modifier.isAbstract(type.getModifiers());
		return !abstractType || type.isAnnotationPresent(JsonTypeInfo.class) || type.isAnnotationPresent(JsonDeserialize.class);
	}

}
